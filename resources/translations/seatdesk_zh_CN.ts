<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Actions</name>
        <message>
            <source>&amp;Waiting for reply</source>
            <translation>待回复(&amp;W)</translation>
        </message>
        <message>
            <source>&amp;All open</source>
            <translation>全部会话(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Closed</source>
            <translation>已关闭(&amp;C)</translation>
        </message>
        <message>
            <source>Filter by &amp;shop</source>
            <translation>按店铺筛选(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Previous conversation</source>
            <translation>上一个会话(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Next conversation</source>
            <translation>下一个会话(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Back to inbox</source>
            <translation>返回会话列表(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;Reply</source>
            <translation>回复(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;End conversation</source>
            <translation>结束会话(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Refresh</source>
            <translation>刷新(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Mute notifications</source>
            <translation>全部静音(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Sound on new message</source>
            <translation>新消息提示音(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Tray pop-up on new message</source>
            <translation>新消息托盘通知(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Plugins…</source>
            <translation>平台插件(&amp;P)…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>快捷键一览(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>Send reply</source>
            <translation>发送回复</translation>
        </message>
        <message>
            <source>Enter or Ctrl+Enter (Shift+Enter: new line)</source>
            <translation>Enter 或 Ctrl+Enter(Shift+Enter 换行)</translation>
        </message>
        <message>
            <source>&amp;Inbox</source>
            <translation>会话(&amp;I)</translation>
        </message>
        <message>
            <source>&amp;Notifications</source>
            <translation>通知(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>界面语言(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
    <context>
        <name>BubbleDelegate</name>
        <message>
            <source>◷ Sending</source>
            <translation>◷ 发送中</translation>
        </message>
        <message>
            <source>✓ Sent</source>
            <translation>✓ 已发送</translation>
        </message>
        <message>
            <source>⚠ Failed to send</source>
            <translation>⚠ 发送失败</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>[Image] </source>
            <translation>[图片] </translation>
        </message>
        <message>
            <source>[Order] </source>
            <translation>[订单] </translation>
        </message>
        <message>
            <source>[Product] </source>
            <translation>[商品] </translation>
        </message>
        <message>
            <source>… ({n} more characters; right-click → Copy text)</source>
            <translation>…(还有 {n} 个字符；右键 → 复制文字)</translation>
        </message>
    </context>
    <context>
        <name>ChatPanel</name>
        <message>
            <source>Pick a conversation on the left to reply</source>
            <translation>从左侧选择一个会话开始回复</translation>
        </message>
        <message>
            <source>Copy text</source>
            <translation>复制文字</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Send (Enter / Ctrl+Enter)</source>
            <translation>发送 (Enter / Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Enter send · Shift+Enter new line · Esc back to inbox</source>
            <translation>Enter 发送 · Shift+Enter 换行 · Esc 返回列表</translation>
        </message>
        <message>
            <source>Retrying…</source>
            <translation>正在重试…</translation>
        </message>
        <message>
            <source>Could not send: {error}</source>
            <translation>发送失败：{error}</translation>
        </message>
        <message>
            <source>Failed: {error}</source>
            <translation>失败：{error}</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>Type a reply… Enter to send, Shift+Enter for a new line</source>
            <translation>输入回复… Enter 发送，Shift+Enter 换行</translation>
        </message>
    </context>
    <context>
        <name>Format</name>
        <message>
            <source>Awaiting payment</source>
            <translation>待付款</translation>
        </message>
        <message>
            <source>To ship</source>
            <translation>待发货</translation>
        </message>
        <message>
            <source>Shipped</source>
            <translation>已发货</translation>
        </message>
        <message>
            <source>Refunding</source>
            <translation>退款中</translation>
        </message>
        <message>
            <source>Completed</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>Connecting</source>
            <translation>连接中</translation>
        </message>
        <message>
            <source>Degraded</source>
            <translation>降级</translation>
        </message>
        <message>
            <source>Needs sign-in</source>
            <translation>需要重新登录</translation>
        </message>
        <message>
            <source>Rate limited</source>
            <translation>限流中</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>{s}s</source>
            <translation>{s}秒</translation>
        </message>
        <message>
            <source>{m}m {s}s</source>
            <translation>{m}分{s}秒</translation>
        </message>
        <message>
            <source>{h}h {m}m</source>
            <translation>{h}小时{m}分</translation>
        </message>
        <message>
            <source>{d}d {h}h</source>
            <translation>{d}天{h}小时</translation>
        </message>
        <message>
            <source>Waiting {duration}</source>
            <translation>等待 {duration}</translation>
        </message>
        <message>
            <source>Rate limited until {time}</source>
            <translation>限流至 {time}</translation>
        </message>
    </context>
    <context>
        <name>InboxPanel</name>
        <message>
            <source>Waiting</source>
            <translation>待回复</translation>
        </message>
        <message>
            <source>All open</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>Filter by shop (Ctrl+F)</source>
            <translation>按店铺筛选 (Ctrl+F)</translation>
        </message>
        <message>
            <source>All shops</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>Waiting ({n})</source>
            <translation>待回复 ({n})</translation>
        </message>
        <message>
            <source>{n} conversations</source>
            <translation>共 {n} 个会话</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Could not end the conversation: {error}</source>
            <translation>无法结束会话：{error}</translation>
        </message>
        <message>
            <source>No usable system keyring was found, and SeatDesk never keeps shop credentials in plain text, so shops cannot connect. Run a Secret Service provider (GNOME Keyring or KWallet), or choose another keyring backend with PYTHON_KEYRING_BACKEND. The demo (seatdesk --demo) needs no keyring.</source>
            <translation>未找到可用的系统钥匙串。SeatDesk 绝不以明文保存店铺凭据，因此店铺暂时无法连接。请启用 Secret Service（GNOME 钥匙串或 KWallet），或用 PYTHON_KEYRING_BACKEND 指定其他钥匙串后端。演示模式（seatdesk --demo）不需要钥匙串。</translation>
        </message>
        <message>
            <source>SeatDesk could not open its store: {error}</source>
            <translation>SeatDesk 无法打开本地数据库：{error}</translation>
        </message>
        <message>
            <source>Plugin {name} could not be loaded: {error}</source>
            <translation>插件 {name} 加载失败：{error}</translation>
        </message>
        <message>
            <source>Notifications muted</source>
            <translation>已静音全部通知</translation>
        </message>
        <message>
            <source>Notifications on</source>
            <translation>已开启通知</translation>
        </message>
        <message>
            <source>The language changes when SeatDesk restarts.</source>
            <translation>界面语言将在重新启动 SeatDesk 后生效。</translation>
        </message>
    </context>
    <context>
        <name>Notifier</name>
        <message>
            <source>New message · {nick}</source>
            <translation>新消息 · {nick}</translation>
        </message>
        <message>
            <source>(+{n} more)</source>
            <translation>(另有 {n} 条)</translation>
        </message>
    </context>
    <context>
        <name>OrderCard</name>
        <message>
            <source>Order {id}</source>
            <translation>订单号 {id}</translation>
        </message>
        <message>
            <source>Placed</source>
            <translation>下单时间</translation>
        </message>
        <message>
            <source>Paid</source>
            <translation>付款时间</translation>
        </message>
        <message>
            <source>Receiver</source>
            <translation>收货人</translation>
        </message>
        <message>
            <source>Shipping</source>
            <translation>物流</translation>
        </message>
        <message>
            <source>(no memo)</source>
            <translation>(无备注)</translation>
        </message>
    </context>
    <context>
        <name>OrdersPanel</name>
        <message>
            <source>Orders in this shop</source>
            <translation>本店订单</translation>
        </message>
        <message>
            <source>No orders from this buyer in this shop</source>
            <translation>该买家在本店暂无订单</translation>
        </message>
    </context>
    <context>
        <name>PluginsDialog</name>
        <message>
            <source>Platform plugins</source>
            <translation>平台插件</translation>
        </message>
        <message>
            <source>Plugin</source>
            <translation>插件</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Loaded</source>
            <translation>已加载</translation>
        </message>
        <message>
            <source>Failed: {error}</source>
            <translation>失败：{error}</translation>
        </message>
        <message>
            <source>{ok} loaded, {bad} failed. A failed plugin only disables its platform.</source>
            <translation>已加载 {ok} 个，失败 {bad} 个。加载失败的插件只会停用它对应的平台。</translation>
        </message>
    </context>
    <context>
        <name>ProblemBanner</name>
        <message>
            <source>Dismiss</source>
            <translation>知道了</translation>
        </message>
    </context>
    <context>
        <name>ShopChip</name>
        <message>
            <source>Last sync {time}</source>
            <translation>上次同步 {time}</translation>
        </message>
    </context>
    <context>
        <name>ShopStatusStrip</name>
        <message>
            <source>No shops connected yet</source>
            <translation>尚未接入店铺</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>快捷键一览</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>快捷键</translation>
        </message>
    </context>
</TS>
