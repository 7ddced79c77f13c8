<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Actions</name>
        <message>
            <source>&amp;After-sale cases</source>
            <translation>售后登记(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Buyer</source>
            <translation>买家(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;Conversations</source>
            <translation>会话(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Orders of all shops</source>
            <translation>全部店铺订单(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Remark on the newest order</source>
            <translation>给最新订单写备注(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Tag buyer</source>
            <translation>给买家打标签(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Tags and groups…</source>
            <translation>标签与分组管理…(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Add buyer to a &amp;group</source>
            <translation>把买家加入分组(&amp;G)</translation>
        </message>
        <message>
            <source>Buyer &amp;note</source>
            <translation>买家备忘(&amp;N)</translation>
        </message>
        <message>
            <source>Filter by &amp;tag or group</source>
            <translation>按标签或分组筛选(&amp;T)</translation>
        </message>
        <message>
            <source>Register &amp;after-sale case</source>
            <translation>登记售后(&amp;A)</translation>
        </message>
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
            <source>Add {n} buyer(s) to a group…</source>
            <translation>把 {n} 位买家加入分组…</translation>
        </message>
        <message>
            <source>All tags</source>
            <translation>全部标签</translation>
        </message>
        <message>
            <source>Filter by tag or group (Ctrl+Shift+F)</source>
            <translation>按标签或分组筛选 (Ctrl+Shift+F)</translation>
        </message>
        <message>
            <source>Group</source>
            <translation>分组</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Tag {n} buyer(s)…</source>
            <translation>给 {n} 位买家打标签…</translation>
        </message>
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
            <source>After-sale</source>
            <translation>售后</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>会话</translation>
        </message>
        <message>
            <source>Open a buyer with an order first</source>
            <translation>请先打开有订单的买家</translation>
        </message>
        <message>
            <source>Orders</source>
            <translation>订单</translation>
        </message>
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
    <context>
        <name>BulkLabelDialog</name>
        <message>
            <source>Group buyers</source>
            <translation>批量分组</translation>
        </message>
        <message>
            <source>Group for {n} buyer(s) (a new name creates it):</source>
            <translation>给 {n} 位买家选择分组（输入新名称即新建）：</translation>
        </message>
        <message>
            <source>Tag buyers</source>
            <translation>批量打标签</translation>
        </message>
        <message>
            <source>Tag for {n} buyer(s) (a new name creates it):</source>
            <translation>给 {n} 位买家选择标签（输入新名称即新建）：</translation>
        </message>
        <message>
            <source>Type or pick a name.</source>
            <translation>请输入或选择一个名称。</translation>
        </message>
    </context>
    <context>
        <name>BuyerPanel</name>
        <message>
            <source>+ Group (Ctrl+G)</source>
            <translation>+ 分组 (Ctrl+G)</translation>
        </message>
        <message>
            <source>+ Tag (Ctrl+T)</source>
            <translation>+ 标签 (Ctrl+T)</translation>
        </message>
        <message>
            <source>After-sale {n}</source>
            <translation>售后 {n}</translation>
        </message>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Chats {n}</source>
            <translation>会话 {n}</translation>
        </message>
        <message>
            <source>Could not change the tags: {error}</source>
            <translation>标签未能修改：{error}</translation>
        </message>
        <message>
            <source>Groups</source>
            <translation>分组</translation>
        </message>
        <message>
            <source>No conversation open</source>
            <translation>未打开会话</translation>
        </message>
        <message>
            <source>Not saved: {error}</source>
            <translation>未保存：{error}</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>备忘</translation>
        </message>
        <message>
            <source>Order {id}</source>
            <translation>订单 {id}</translation>
        </message>
        <message>
            <source>Orders {n}</source>
            <translation>订单 {n}</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>已保存</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>正在保存…</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Team note on this buyer (everyone sees it)</source>
            <translation>团队共享的买家备忘（所有客服可见）</translation>
        </message>
        <message>
            <source>The buyer has no chat in that order's shop</source>
            <translation>该买家在这个订单的店铺还没有会话</translation>
        </message>
        <message>
            <source>{n} messages</source>
            <translation>{n} 条消息</translation>
        </message>
        <message>
            <source>{who}, {when}</source>
            <translation>{who} 保存于 {when}</translation>
        </message>
    </context>
    <context>
        <name>Chip</name>
        <message>
            <source>Remove {name}</source>
            <translation>移除“{name}”</translation>
        </message>
    </context>
    <context>
        <name>LabelsDialog</name>
        <message>
            <source>&amp;Colour…</source>
            <translation>颜色…(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>删除(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Import CSV…</source>
            <translation>导入 CSV…(&amp;I)</translation>
        </message>
        <message>
            <source>&amp;Merge into…</source>
            <translation>合并到…(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;New…</source>
            <translation>新建…(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Rename…</source>
            <translation>重命名…(&amp;R)</translation>
        </message>
        <message>
            <source>(and {n} more)</source>
            <translation>（另有 {n} 行）</translation>
        </message>
        <message>
            <source>Buyers</source>
            <translation>买家数</translation>
        </message>
        <message>
            <source>Colour of {name}</source>
            <translation>“{name}”的颜色</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete “{name}”? {n} buyer(s) lose it.</source>
            <translation>删除“{name}”？{n} 位买家将失去它。</translation>
        </message>
        <message>
            <source>E&amp;xport CSV…</source>
            <translation>导出 CSV…(&amp;X)</translation>
        </message>
        <message>
            <source>Every buyer of “{name}” gets the one chosen here, and “{name}” goes away:</source>
            <translation>“{name}”的所有买家都会改为下面选中的一项，“{name}”随后删除：</translation>
        </message>
        <message>
            <source>Export tags and groups</source>
            <translation>导出标签与分组</translation>
        </message>
        <message>
            <source>Groups</source>
            <translation>分组</translation>
        </message>
        <message>
            <source>Import failed: {error}</source>
            <translation>导入失败：{error}</translation>
        </message>
        <message>
            <source>Import tags and groups</source>
            <translation>导入标签与分组</translation>
        </message>
        <message>
            <source>Merge</source>
            <translation>合并</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>New name:</source>
            <translation>新名称：</translation>
        </message>
        <message>
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <source>Skipped: {lines}</source>
            <translation>已跳过：{lines}</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Tags and groups</source>
            <translation>标签与分组</translation>
        </message>
        <message>
            <source>There is nothing to merge into.</source>
            <translation>没有可以合并到的项。</translation>
        </message>
        <message>
            <source>line {line}: {why}</source>
            <translation>第 {line} 行：{why}</translation>
        </message>
        <message>
            <source>{n} buyers written.</source>
            <translation>已导出 {n} 位买家。</translation>
        </message>
        <message>
            <source>{rows} rows read, {buyers} buyers updated, {created} new tags or groups.</source>
            <translation>读取 {rows} 行，更新 {buyers} 位买家，新建 {created} 个标签或分组。</translation>
        </message>
    </context>
</TS>
