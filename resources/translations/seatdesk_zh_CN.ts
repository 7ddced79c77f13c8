<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>Actions</name>
        <message>
            <source>&amp;Webhook receiver…</source>
            <translation>Webhook 接收…(&amp;W)</translation>
        </message>
        <message>
            <source>&amp;Handover</source>
            <translation>交接(&amp;H)</translation>
        </message>
        <message>
            <source>Follow up &amp;later…</source>
            <translation>稍后回访…(&amp;L)</translation>
        </message>
        <message>
            <source>Hand over and &amp;release my chats…</source>
            <translation>交接并释放我的会话…(&amp;R)</translation>
        </message>
        <message>
            <source>Shif&amp;ts and roster…</source>
            <translation>班次与排班…(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Unpaid orders (dunning)</source>
            <translation>待付款订单（催付）(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Dun selected buyers</source>
            <translation>催付所选买家(&amp;D)</translation>
        </message>
        <message>
            <source>Sort inbox by reply &amp;deadline</source>
            <translation>收件箱按回复时限排序(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Auto-replies…</source>
            <translation>自动回复…(&amp;A)</translation>
        </message>
        <message>
            <source>D&amp;unning settings…</source>
            <translation>催付设置…(&amp;U)</translation>
        </message>
        <message>
            <source>Response &amp;times…</source>
            <translation>响应时长…(&amp;T)</translation>
        </message>
        <message>
            <source>Search e&amp;very shop…</source>
            <translation>在所有店铺中搜索…(&amp;V)</translation>
        </message>
        <message>
            <source>Ne&amp;xt waiting buyer</source>
            <translation>下一位等待的买家(&amp;X)</translation>
        </message>
        <message>
            <source>Notification &amp;settings…</source>
            <translation>通知设置…(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Customize shortcuts…</source>
            <translation>自定义快捷键…(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Add a shop…</source>
            <translation>添加店铺…(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Remark format…</source>
            <translation>备注格式…(&amp;R)</translation>
        </message>
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
        <message>
            <source>&amp;Team</source>
            <translation>团队(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Move chats to…</source>
            <translation>移交会话…(&amp;M)</translation>
        </message>
        <message>
            <source>Seat &amp;status…</source>
            <translation>坐席状态…(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Release all chats of the seat…</source>
            <translation>释放坐席的全部会话…(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Edit seat…</source>
            <translation>编辑坐席…(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;New seat…</source>
            <translation>新建坐席…(&amp;N)</translation>
        </message>
        <message>
            <source>Rout&amp;ing rules…</source>
            <translation>分流规则…(&amp;I)</translation>
        </message>
        <message>
            <source>Tea&amp;m</source>
            <translation>团队(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;My conversations</source>
            <translation>我的会话(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Unassigned queue</source>
            <translation>待分配队列(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Everyone's conversations</source>
            <translation>全部坐席的会话(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Transfer conversation…</source>
            <translation>转接会话…(&amp;T)</translation>
        </message>
        <message>
            <source>Ta&amp;ke conversation</source>
            <translation>接入会话(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;Online</source>
            <translation>在线(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Busy</source>
            <translation>忙碌(&amp;B)</translation>
        </message>
        <message>
            <source>A&amp;way</source>
            <translation>离开(&amp;W)</translation>
        </message>
        <message>
            <source>O&amp;ffline</source>
            <translation>离线(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Switch seat…</source>
            <translation>切换坐席…(&amp;S)</translation>
        </message>
        <message>
            <source>S&amp;eat</source>
            <translation>坐席(&amp;E)</translation>
        </message>
        <message>
            <source>Insert &amp;quick reply</source>
            <translation>插入快捷短语(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Quick-reply library…</source>
            <translation>快捷短语库…(&amp;Q)</translation>
        </message>
        <message>
            <source>Platform &amp;red lines…</source>
            <translation>平台红线…(&amp;R)</translation>
        </message>
        <message>
            <source>Quick-reply picker</source>
            <translation>快捷短语选择</translation>
        </message>
        <message>
            <source>/ at the start of a word in the reply box</source>
            <translation>在回复框里，行首或空格后输入 /</translation>
        </message>
        <message>
            <source>Insert favourite quick reply</source>
            <translation>插入常用快捷短语</translation>
        </message>
        <message>
            <source>Ctrl+1 … Ctrl+9 in the reply box</source>
            <translation>在回复框里按 Ctrl+1 … Ctrl+9</translation>
        </message>
        <message>
            <source>Send despite a platform red line (logged)</source>
            <translation>触犯平台红线时仍然发送（会记录）</translation>
        </message>
        <message>
            <source>Ctrl+Shift+Enter</source>
            <translation>Ctrl+Shift+Enter</translation>
        </message>
    </context>
    <context>
        <name>BubbleDelegate</name>
        <message>
            <source>Auto-reply · welcome</source>
            <translation>自动回复 · 欢迎语</translation>
        </message>
        <message>
            <source>Auto-reply · busy</source>
            <translation>自动回复 · 忙碌</translation>
        </message>
        <message>
            <source>Auto-reply · after hours</source>
            <translation>自动回复 · 非营业时间</translation>
        </message>
        <message>
            <source>Dunning</source>
            <translation>催付</translation>
        </message>
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
            <source>Remind me or the next shift about this buyer ({key})</source>
            <translation>到时提醒我或下一班次跟进这位买家（{key}）</translation>
        </message>
        <message>
            <source>Follow up…</source>
            <translation>回访…</translation>
        </message>
        <message>
            <source>Replies cannot be sent through {platform}'s open API: answer in the platform's own client. {note}</source>
            <translation>{platform}的开放接口不能发送回复：请在平台自己的客服工具里回复。{note}</translation>
        </message>
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
        <message>
            <source>Could not take the conversation: {reason}</source>
            <translation>未能接入会话：{reason}</translation>
        </message>
        <message>
            <source>From {seat}: {reason} · {time}</source>
            <translation>由 {seat} 转来：{reason} · {time}</translation>
        </message>
        <message>
            <source>Goes back unless answered by {time}</source>
            <translation>{time} 前未回复将退回</translation>
        </message>
        <message>
            <source>Handed over by {seat} · {time}</source>
            <translation>由 {seat} 转来 · {time}</translation>
        </message>
        <message>
            <source>Not sent: could not take the conversation, {reason}</source>
            <translation>未发送：未能接入会话，{reason}</translation>
        </message>
        <message>
            <source>Take it</source>
            <translation>接入</translation>
        </message>
        <message>
            <source>Take over</source>
            <translation>接管</translation>
        </message>
        <message>
            <source>Take this conversation ({key})</source>
            <translation>接入此会话（{key}）</translation>
        </message>
        <message>
            <source>Take this conversation over ({key})</source>
            <translation>接管此会话（{key}）</translation>
        </message>
        <message>
            <source>The conversation is yours now</source>
            <translation>会话已由你接待</translation>
        </message>
        <message>
            <source>This conversation is already yours</source>
            <translation>此会话已由你接待</translation>
        </message>
        <message>
            <source>Waiting in the queue for a seat</source>
            <translation>待分配：买家正在排队等待接待</translation>
        </message>
        <message>
            <source>Waiting in the {group} queue for a seat</source>
            <translation>待分配：买家正在 {group} 队列中等待接待</translation>
        </message>
        <message>
            <source>{seat} is serving this buyer</source>
            <translation>由 {seat} 接待中</translation>
        </message>
        <message>
            <source>{seat} is serving this buyer: read only.</source>
            <translation>由 {seat} 接待中：只读。</translation>
        </message>
        <message>
            <source>{seat} is serving this buyer; only a lead can take it over</source>
            <translation>由 {seat} 接待中，只有组长可以接管</translation>
        </message>
        <message>
            <source>{seat} handed it over: {reason} · {time}</source>
            <translation>{seat} 转接：{reason} · {time}</translation>
        </message>
        <message>
            <source>Not sent: the reply crosses a platform red line. Ctrl+Shift+Enter sends it anyway (the override is logged).</source>
            <translation>未发送：回复触犯平台红线。按 Ctrl+Shift+Enter 仍然发送（会记录在案）。</translation>
        </message>
        <message>
            <source>Sent despite the platform red line; the override is logged</source>
            <translation>已无视平台红线发送，本次越过已记录</translation>
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
            <source>Breaches in {duration}</source>
            <translation>{duration}后超时</translation>
        </message>
        <message>
            <source>Breaches in {n} s</source>
            <translation>{n} 秒后超时</translation>
        </message>
        <message>
            <source>Due {time}</source>
            <translation>{time} 前回复</translation>
        </message>
        <message>
            <source>Overdue {duration}</source>
            <translation>已超时 {duration}</translation>
        </message>
        <message>
            <source>Overdue {n} s</source>
            <translation>已超时 {n} 秒</translation>
        </message>
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
            <source>Sort by the platform&apos;s reply deadline: the buyer about to breach it on top ({key}). Off: the longest wait on top.</source>
            <translation>按平台回复时限排序：快要超时的买家排在最上面（{key}）。关闭时：等待最久的排在最上面。</translation>
        </message>
        <message>
            <source>Filter by tag or group ({key})</source>
            <translation>按标签或分组筛选 ({key})</translation>
        </message>
        <message>
            <source>Filter by shop ({key})</source>
            <translation>按店铺筛选 ({key})</translation>
        </message>
        <message>
            <source>Every seat&apos;s conversations ({key})</source>
            <translation>全部坐席的会话（{key}）</translation>
        </message>
        <message>
            <source>Conversations I serve ({key})</source>
            <translation>我接待的会话（{key}）</translation>
        </message>
        <message>
            <source>Buyers waiting for a seat: nobody serves them yet ({key})</source>
            <translation>排队等待接待的买家，尚无人接待（{key}）</translation>
        </message>
        <message>
            <source>By deadline</source>
            <translation>按时限</translation>
        </message>
        <message>
            <source>Add {n} buyer(s) to a group…</source>
            <translation>把 {n} 位买家加入分组…</translation>
        </message>
        <message>
            <source>All tags</source>
            <translation>全部标签</translation>
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
        <message>
            <source>Every seat's conversations (Ctrl+6)</source>
            <translation>全部坐席的会话（Ctrl+6）</translation>
        </message>
        <message>
            <source>Everyone</source>
            <translation>全部坐席</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>我的</translation>
        </message>
        <message>
            <source>Transfer {n} conversations…</source>
            <translation>转接 {n} 个会话…</translation>
        </message>
        <message>
            <source>Transfer…</source>
            <translation>转接…</translation>
        </message>
        <message>
            <source>Unassigned</source>
            <translation>待分配</translation>
        </message>
        <message>
            <source>Unassigned ({n})</source>
            <translation>待分配 ({n})</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Handover</source>
            <translation>交接</translation>
        </message>
        <message>
            <source>That order is no longer in the store</source>
            <translation>这个订单已不在本地</translation>
        </message>
        <message>
            <source>Unpaid</source>
            <translation>催付</translation>
        </message>
        <message>
            <source>That message is further back than the chat shows</source>
            <translation>这条消息较早，聊天中未能加载到</translation>
        </message>
        <message>
            <source>Nobody is waiting for a reply</source>
            <translation>没有等待回复的买家</translation>
        </message>
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
        <message>
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <source>Could not sign in: {error}</source>
            <translation>未能登录坐席：{error}</translation>
        </message>
        <message>
            <source>Open a conversation to transfer first</source>
            <translation>请先打开要转接的会话</translation>
        </message>
    </context>
    <context>
        <name>Notifier</name>
        <message>
            <source>{n} buyers waiting for a reply</source>
            <translation>{n} 位买家等待回复</translation>
        </message>
        <message>
            <source>Muted by the schedule</source>
            <translation>按静音时段静音中</translation>
        </message>
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
            <source>Open the after-sale case</source>
            <translation>打开这笔售后</translation>
        </message>
        <message>
            <source>A changed remark may not reach the warehouse any more</source>
            <translation>改备注仓库可能已看不到，请直接通知仓库</translation>
        </message>
        <message>
            <source>After-sale</source>
            <translation>售后</translation>
        </message>
        <message>
            <source>Changed on the platform · {when}</source>
            <translation>平台修改 · {when}</translation>
        </message>
        <message>
            <source>Packed</source>
            <translation>已打包</translation>
        </message>
        <message>
            <source>Push the memo to the platform again</source>
            <translation>重新把备注推送到平台</translation>
        </message>
        <message>
            <source>Register a refund, return, exchange or resend</source>
            <translation>登记退款、退货、换货或补发</translation>
        </message>
        <message>
            <source>Remark</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Waybill printed</source>
            <translation>已打单</translation>
        </message>
        <message>
            <source>Write a remark and set the flag</source>
            <translation>写备注、插旗</translation>
        </message>
        <message>
            <source>{n} after-sale open</source>
            <translation>售后中 {n}</translation>
        </message>
        <message>
            <source>◷ Not on the platform yet · {who}</source>
            <translation>◷ 待同步到平台 · {who}</translation>
        </message>
        <message>
            <source>⚠ Sync failed: {error}</source>
            <translation>⚠ 同步失败：{error}</translation>
        </message>
        <message>
            <source>✓ Synced · {who}</source>
            <translation>✓ 已同步 · {who}</translation>
        </message>
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
            <source>Could not retry: {error}</source>
            <translation>重试失败：{error}</translation>
        </message>
        <message>
            <source>Remark saved; pushing it to the platform…</source>
            <translation>备注已保存，正在推送到平台…</translation>
        </message>
        <message>
            <source>Retrying…</source>
            <translation>重试中…</translation>
        </message>
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
            <source>Off: a user plugin runs once enabled (seatdesk plugins enable {name})</source>
            <translation>未启用：用户插件需先启用才会运行（seatdesk plugins enable {name}）</translation>
        </message>
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
            <source>Webhook URL to register with the platform: {url}</source>
            <translation>需在平台登记的 Webhook 地址：{url}</translation>
        </message>
        <message>
            <source>Push: reconnecting ({detail}); polling meanwhile</source>
            <translation>推送：正在重连（{detail}），期间轮询同步</translation>
        </message>
        <message>
            <source>Push: live (orders arrive as they change)</source>
            <translation>推送：已连接（订单变化即时到达）</translation>
        </message>
        <message>
            <source>Push off: {reason}. Polling instead.</source>
            <translation>推送未开启：{reason}。改为轮询同步。</translation>
        </message>
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
            <source>+ Tag ({key})</source>
            <translation>+ 标签 ({key})</translation>
        </message>
        <message>
            <source>+ Group ({key})</source>
            <translation>+ 分组 ({key})</translation>
        </message>
        <message>
            <source>Tags not saved on {platform}: {error}</source>
            <translation>标签未能同步到{platform}：{error}</translation>
        </message>
        <message>
            <source>Saving tags on {platform}…</source>
            <translation>正在把标签同步到{platform}…</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>(retrying: {error})</source>
            <translation>（重试中：{error}）</translation>
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
    <context>
        <name>FlagPalette</name>
        <message>
            <source>No flag</source>
            <translation>不插旗</translation>
        </message>
        <message>
            <source>{flag} (key {key})</source>
            <translation>{flag}（按键 {key}）</translation>
        </message>
    </context>
    <context>
        <name>RemarkDialog</name>
        <message>
            <source>&amp;Flag</source>
            <translation>旗帜(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Remark</source>
            <translation>备注内容(&amp;R)</translation>
        </message>
        <message>
            <source>(no memo)</source>
            <translation>(无备注)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Could not retry: {error}</source>
            <translation>重试失败：{error}</translation>
        </message>
        <message>
            <source>Could not save the remark: {error}</source>
            <translation>备注保存失败：{error}</translation>
        </message>
        <message>
            <source>No remarks on this order yet</source>
            <translation>此订单暂无备注记录</translation>
        </message>
        <message>
            <source>On the platform now:</source>
            <translation>平台当前备注：</translation>
        </message>
        <message>
            <source>Order {id}</source>
            <translation>订单号 {id}</translation>
        </message>
        <message>
            <source>Remark history</source>
            <translation>备注记录</translation>
        </message>
        <message>
            <source>Remark · order {id}</source>
            <translation>备注 · 订单 {id}</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Save the remark and push it to the platform (Ctrl+Enter)</source>
            <translation>保存备注并推送到平台（Ctrl+Enter）</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>保存中…</translation>
        </message>
        <message>
            <source>The memo as the warehouse will read it</source>
            <translation>仓库将看到的备注</translation>
        </message>
        <message>
            <source>The {platform} plugin is not loaded, so its flags and memo limit are unknown: the remark can be saved without a flag only.</source>
            <translation>未加载 {platform} 平台插件，不知道它的旗帜和备注字数上限：只能保存不插旗的备注。</translation>
        </message>
        <message>
            <source>Too long for {platform}: {over} bytes over its limit of {limit} (UTF-8; a Chinese character counts 3, your name and the time count too). Shorten it to save.</source>
            <translation>备注超出{platform}上限 {over} 字节（上限 {limit} 字节，按 UTF-8 计：一个汉字占 3 字节，名字和时间也计入），请精简后再保存。</translation>
        </message>
        <message>
            <source>Too long for {platform}: {over} characters over its limit of {limit} (your name and the time count too). Shorten it to save.</source>
            <translation>备注超出{platform}上限 {over} 字（上限 {limit} 字，名字和时间也计入），请精简后再保存。</translation>
        </message>
        <message>
            <source>Used {used}/{limit} bytes</source>
            <translation>已用 {used}/{limit} 字节</translation>
        </message>
        <message>
            <source>Used {used}/{limit} characters</source>
            <translation>已用 {used}/{limit} 字</translation>
        </message>
        <message>
            <source>What changed, e.g. buyer asks to ship to a new address: …</source>
            <translation>写明改了什么，例如：客户要求改地址为……</translation>
        </message>
        <message>
            <source>With a flag focused: keys 0–{last} or arrows choose</source>
            <translation>选中旗帜后，按数字键 0–{last} 或方向键切换</translation>
        </message>
        <message>
            <source>Your text, then your name and the time</source>
            <translation>这里显示：备注内容 —— 你的名字 时间</translation>
        </message>
        <message>
            <source>{flag} preselected: the team's sign for “changed, read the memo”. Pick another flag if this change needs none.</source>
            <translation>已预选{flag}：团队约定它表示“有改动，请看备注”。这次改动无需提醒的话，可改选其他旗帜。</translation>
        </message>
        <message>
            <source>{platform} would refuse this memo. Shorten it to save.</source>
            <translation>{platform}不接受这条备注，请精简后再保存。</translation>
        </message>
        <message>
            <source>{used} characters</source>
            <translation>共 {used} 字</translation>
        </message>
        <message>
            <source>⚠ The waybill of this order is printed: the warehouse may not see a changed remark. Tell the warehouse in person or by phone to take the waybill back.</source>
            <translation>⚠ 此订单已打单：仅改备注，仓库可能看不到。请当面或电话通知仓库追回面单。</translation>
        </message>
        <message>
            <source>⚠ This order has shipped: a changed remark reaches nobody in the warehouse. Ask the courier to intercept the parcel, or register an after-sale case.</source>
            <translation>⚠ 此订单已发货：改备注仓库已看不到，也拦不住包裹。请联系快递拦截，或登记售后。</translation>
        </message>
        <message>
            <source>⚠ This order is packed: the warehouse may not see a changed remark. Tell the warehouse in person or by phone to pull the parcel and its waybill.</source>
            <translation>⚠ 此订单已打包：仅改备注，仓库可能看不到。请当面或电话通知仓库拦下包裹、追回面单。</translation>
        </message>
    </context>
    <context>
        <name>RemarkEntry</name>
        <message>
            <source>Changed on the platform</source>
            <translation>平台上被修改</translation>
        </message>
        <message>
            <source>No flag</source>
            <translation>不插旗</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Push this memo to the platform again</source>
            <translation>重新把这条备注推送到平台</translation>
        </message>
        <message>
            <source>Pushed as: {memo}</source>
            <translation>推送到平台的备注：{memo}</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Retrying…</source>
            <translation>重试中…</translation>
        </message>
        <message>
            <source>The platform gave no reason</source>
            <translation>平台未说明原因</translation>
        </message>
        <message>
            <source>◷ Waiting to sync</source>
            <translation>◷ 待同步</translation>
        </message>
        <message>
            <source>⚠ Sync failed</source>
            <translation>⚠ 同步失败</translation>
        </message>
        <message>
            <source>✓ Synced</source>
            <translation>✓ 已同步</translation>
        </message>
    </context>
    <context>
        <name>RemarkFormatDialog</name>
        <message>
            <source>Every remark is written into the order's seller memo in this format. {text} is what the agent wrote, {author} the seat's name, {time} the date and time.</source>
            <translation>每条备注都按这个格式写入订单的卖家备注。{text} 是客服写的内容，{author} 是客服名称，{time} 是日期和时间。</translation>
        </message>
        <message>
            <source>Example: {sample}</source>
            <translation>示例：{sample}</translation>
        </message>
        <message>
            <source>Not a valid format: {error}</source>
            <translation>格式无效：{error}</translation>
        </message>
        <message>
            <source>Remark format</source>
            <translation>备注格式</translation>
        </message>
        <message>
            <source>The format must contain {text}.</source>
            <translation>格式中必须包含 {text}。</translation>
        </message>
    </context>
    <context>
        <name>CaseDialog</name>
        <message>
            <source> of {n}</source>
            <translation> / {n}</translation>
        </message>
        <message>
            <source>After-sale case</source>
            <translation>售后详情</translation>
        </message>
        <message>
            <source>After-sale case {id}</source>
            <translation>售后 #{id}</translation>
        </message>
        <message>
            <source>After-sale case · order {number}</source>
            <translation>售后 · 订单 {number}</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>变更</translation>
        </message>
        <message>
            <source>Changed mind (7-day no-reason return)</source>
            <translation>不喜欢/七天无理由</translation>
        </message>
        <message>
            <source>Choose or type a reason</source>
            <translation>选择或填写原因</translation>
        </message>
        <message>
            <source>Choose or type the reason.</source>
            <translation>请选择或填写售后原因。</translation>
        </message>
        <message>
            <source>Close case</source>
            <translation>关闭售后</translation>
        </message>
        <message>
            <source>Closed — nothing more to do.</source>
            <translation>已关闭，无需再处理。</translation>
        </message>
        <message>
            <source>Damaged in transit</source>
            <translation>物流破损</translation>
        </message>
        <message>
            <source>History</source>
            <translation>处理记录</translation>
        </message>
        <message>
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <source>Mark as {state}</source>
            <translation>标记为 {state}</translation>
        </message>
        <message>
            <source>Missing item</source>
            <translation>少件/漏发</translation>
        </message>
        <message>
            <source>Move this case from {old} to {new}.</source>
            <translation>将售后状态从「{old}」改为「{new}」。</translation>
        </message>
        <message>
            <source>Next step:</source>
            <translation>下一步：</translation>
        </message>
        <message>
            <source>No parcel comes back for this type</source>
            <translation>此类型无需寄回商品</translation>
        </message>
        <message>
            <source>Not changed: {error}. Another seat may have changed this case first; it now shows what is stored.</source>
            <translation>未能变更：{error}。可能已有其他坐席先处理了这个售后，现已刷新为最新状态。</translation>
        </message>
        <message>
            <source>Not saved: {error}</source>
            <translation>保存失败：{error}</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Order {number}</source>
            <translation>订单 {number}</translation>
        </message>
        <message>
            <source>Other…</source>
            <translation>其他…</translation>
        </message>
        <message>
            <source>Quality problem</source>
            <translation>质量问题</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Register</source>
            <translation>登记</translation>
        </message>
        <message>
            <source>Register after-sale · order {number}</source>
            <translation>登记售后 · 订单 {number}</translation>
        </message>
        <message>
            <source>Registered ({state})</source>
            <translation>登记（{state}）</translation>
        </message>
        <message>
            <source>Return waybill</source>
            <translation>退货运单号</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>保存修改</translation>
        </message>
        <message>
            <source>The buyer's return tracking number</source>
            <translation>买家寄回的快递单号</translation>
        </message>
        <message>
            <source>The case was not registered: {error}</source>
            <translation>售后登记失败：{error}</translation>
        </message>
        <message>
            <source>The platform sent no items for this order.</source>
            <translation>平台未提供该订单的商品明细。</translation>
        </message>
        <message>
            <source>This case is not finished: it is {state}. Close it anyway? Say why in the note.</source>
            <translation>该售后尚未完成（当前：{state}），确定要提前关闭吗？请在备注中说明原因。</translation>
        </message>
        <message>
            <source>This case no longer exists.</source>
            <translation>该售后已不存在。</translation>
        </message>
        <message>
            <source>This order already has {n} open after-sale case(s).</source>
            <translation>该订单已有 {n} 个未关闭的售后。</translation>
        </message>
        <message>
            <source>Tick the items the case is about.</source>
            <translation>请勾选售后涉及的商品。</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Who</source>
            <translation>操作人</translation>
        </message>
        <message>
            <source>Wrong item sent</source>
            <translation>发错货</translation>
        </message>
        <message>
            <source>Wrong size</source>
            <translation>尺码不合适</translation>
        </message>
        <message>
            <source>{kind} · order {number}</source>
            <translation>{kind} · 订单 {number}</translation>
        </message>
        <message>
            <source>{shop} · {buyer} · registered by {author} at {when}</source>
            <translation>{shop} · {buyer} · {author} 登记于 {when}</translation>
        </message>
    </context>
    <context>
        <name>CaseLabels</name>
        <message>
            <source>Awaiting return</source>
            <translation>待退回</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>Exchange</source>
            <translation>换货</translation>
        </message>
        <message>
            <source>Exchange sent</source>
            <translation>已换发</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>待处理</translation>
        </message>
        <message>
            <source>Refund only</source>
            <translation>仅退款</translation>
        </message>
        <message>
            <source>Refunded</source>
            <translation>已退款</translation>
        </message>
        <message>
            <source>Resend</source>
            <translation>补发</translation>
        </message>
        <message>
            <source>Resent</source>
            <translation>已补发</translation>
        </message>
        <message>
            <source>Resent or exchanged</source>
            <translation>已补发/已换发</translation>
        </message>
        <message>
            <source>Return and refund</source>
            <translation>退货退款</translation>
        </message>
        <message>
            <source>Return received</source>
            <translation>已收到退货</translation>
        </message>
    </context>
    <context>
        <name>CasesModel</name>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Items</source>
            <translation>商品</translation>
        </message>
        <message>
            <source>Order no.</source>
            <translation>订单号</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Registered by</source>
            <translation>登记人</translation>
        </message>
        <message>
            <source>Return waybill</source>
            <translation>退货运单号</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Updated</source>
            <translation>更新时间</translation>
        </message>
    </context>
    <context>
        <name>CasesView</name>
        <message>
            <source>No after-sale cases here. Register one on an order: the After-sale button on its card, or Ctrl+Shift+A.</source>
            <translation>这里没有售后记录。在订单上登记：点订单卡片上的“售后”按钮，或按 Ctrl+Shift+A。</translation>
        </message>
        <message>
            <source>All shops</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>All states</source>
            <translation>全部状态</translation>
        </message>
        <message>
            <source>All types</source>
            <translation>全部类型</translation>
        </message>
        <message>
            <source>Not closed</source>
            <translation>未关闭</translation>
        </message>
        <message>
            <source>Open case</source>
            <translation>查看售后</translation>
        </message>
        <message>
            <source>Open case…</source>
            <translation>查看售后…</translation>
        </message>
        <message>
            <source>Open conversation</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>{n} cases</source>
            <translation>共 {n} 条</translation>
        </message>
    </context>
    <context>
        <name>OrdersModel</name>
        <message>
            <source>(not on the platform yet: {memo})</source>
            <translation>（尚未同步到平台：{memo}）</translation>
        </message>
        <message>
            <source>(the latest remark failed to sync: {error})</source>
            <translation>（最新备注同步失败：{error}）</translation>
        </message>
        <message>
            <source>After-sale</source>
            <translation>售后</translation>
        </message>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Flag</source>
            <translation>旗帜</translation>
        </message>
        <message>
            <source>Memo</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Not printed</source>
            <translation>未打单</translation>
        </message>
        <message>
            <source>Order no.</source>
            <translation>订单号</translation>
        </message>
        <message>
            <source>Packed</source>
            <translation>已打包</translation>
        </message>
        <message>
            <source>Placed</source>
            <translation>下单时间</translation>
        </message>
        <message>
            <source>Shipping</source>
            <translation>物流</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The waybill is printed or the parcel packed: a changed memo may no longer reach the packer. Tell the warehouse in person.</source>
            <translation>运单已打印或已打包：修改备注后仓库可能看不到，请当面或电话通知仓库。</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>Warehouse</source>
            <translation>仓库</translation>
        </message>
        <message>
            <source>Waybill printed</source>
            <translation>已打单</translation>
        </message>
    </context>
    <context>
        <name>OrdersView</name>
        <message>
            <source>All dates</source>
            <translation>全部日期</translation>
        </message>
        <message>
            <source>All shops</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>All statuses</source>
            <translation>全部状态</translation>
        </message>
        <message>
            <source>Any date</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Any flag</source>
            <translation>全部旗帜</translation>
        </message>
        <message>
            <source>Blue flag</source>
            <translation>蓝旗</translation>
        </message>
        <message>
            <source>Copy order no.</source>
            <translation>复制订单号</translation>
        </message>
        <message>
            <source>Cyan flag</source>
            <translation>青旗</translation>
        </message>
        <message>
            <source>Green flag</source>
            <translation>绿旗</translation>
        </message>
        <message>
            <source>Grey flag</source>
            <translation>灰旗</translation>
        </message>
        <message>
            <source>No flag</source>
            <translation>无旗帜</translation>
        </message>
        <message>
            <source>Open conversation</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Orange flag</source>
            <translation>橙旗</translation>
        </message>
        <message>
            <source>Order no. or buyer nick</source>
            <translation>订单号或买家昵称</translation>
        </message>
        <message>
            <source>Order {number}: {buyer} has no conversation with {shop} yet.</source>
            <translation>订单 {number}：{buyer} 还没有在「{shop}」发起过会话。</translation>
        </message>
        <message>
            <source>Pink flag</source>
            <translation>粉旗</translation>
        </message>
        <message>
            <source>Placed on or after</source>
            <translation>下单日期起</translation>
        </message>
        <message>
            <source>Placed on or before</source>
            <translation>下单日期止</translation>
        </message>
        <message>
            <source>Purple flag</source>
            <translation>紫旗</translation>
        </message>
        <message>
            <source>Red flag</source>
            <translation>红旗</translation>
        </message>
        <message>
            <source>Register after-sale</source>
            <translation>登记售后</translation>
        </message>
        <message>
            <source>Register after-sale…</source>
            <translation>登记售后…</translation>
        </message>
        <message>
            <source>Register an after-sale case (refund, return, exchange, resend) for the selected order</source>
            <translation>为选中的订单登记售后（退款、退货、换货、补发）</translation>
        </message>
        <message>
            <source>Show orders placed on any date</source>
            <translation>显示所有日期的订单</translation>
        </message>
        <message>
            <source>Yellow flag</source>
            <translation>黄旗</translation>
        </message>
        <message>
            <source>the buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>this shop</source>
            <translation>本店</translation>
        </message>
        <message>
            <source>to</source>
            <translation>至</translation>
        </message>
        <message>
            <source>{n} flags</source>
            <translation>已选 {n} 种旗帜</translation>
        </message>
        <message>
            <source>{n} orders</source>
            <translation>共 {n} 单</translation>
        </message>
        <message>
            <source>{n} shops</source>
            <translation>已选 {n} 个店铺</translation>
        </message>
        <message>
            <source>{n} statuses</source>
            <translation>已选 {n} 种状态</translation>
        </message>
    </context>
    <context>
        <name>StepPrompt</name>
        <message>
            <source>Note for this step (optional)</source>
            <translation>本步骤备注（可选）</translation>
        </message>
    </context>
    <context>
        <name>CheckPage</name>
        <message>
            <source>Connected. Finish to add the shop and start syncing.</source>
            <translation>已连接。点“完成”添加店铺并开始同步。</translation>
        </message>
        <message>
            <source>Connecting to {platform}…</source>
            <translation>正在连接{platform}…</translation>
        </message>
        <message>
            <source>Connection test</source>
            <translation>连接测试</translation>
        </message>
        <message>
            <source>Test again</source>
            <translation>重新测试</translation>
        </message>
        <message>
            <source>The platform cannot be reached right now: {error}</source>
            <translation>暂时连不上平台：{error}</translation>
        </message>
        <message>
            <source>The platform did not accept these credentials: {error}</source>
            <translation>平台不接受这组凭据：{error}</translation>
        </message>
        <message>
            <source>The platform is limiting calls; test again in {s} s.</source>
            <translation>平台正在限流，请 {s} 秒后再测。</translation>
        </message>
        <message>
            <source>The platform refused: {error}</source>
            <translation>平台拒绝了请求：{error}</translation>
        </message>
        <message>
            <source>The test failed: {error}</source>
            <translation>测试失败：{error}</translation>
        </message>
    </context>
    <context>
        <name>CredentialsPage</name>
        <message>
            <source>optional</source>
            <translation>可选</translation>
        </message>
        <message>
            <source>Credentials are kept only in the system keyring, never in a file.</source>
            <translation>凭据只保存在系统钥匙串中，不会写入任何文件。</translation>
        </message>
        <message>
            <source>Name shown in SeatDesk</source>
            <translation>在 SeatDesk 中显示的名称</translation>
        </message>
        <message>
            <source>Shop and credentials</source>
            <translation>店铺与凭据</translation>
        </message>
        <message>
            <source>Shop id on the platform</source>
            <translation>平台上的店铺 ID</translation>
        </message>
    </context>
    <context>
        <name>OAuthPage</name>
        <message>
            <source>Use this token</source>
            <translation>使用此令牌</translation>
        </message>
        <message>
            <source>Token taken; the next page tests it.</source>
            <translation>已填入令牌，下一步会测试连接。</translation>
        </message>
        <message>
            <source>The platform refused: {error}</source>
            <translation>平台拒绝：{error}</translation>
        </message>
        <message>
            <source>Self-use app: get the token without a code</source>
            <translation>自用型应用：无需授权码直接获取令牌</translation>
        </message>
        <message>
            <source>Or, without the authorization page:</source>
            <translation>或者，不经授权页面：</translation>
        </message>
        <message>
            <source>Asking the platform for the token…</source>
            <translation>正在向平台申请令牌…</translation>
        </message>
        <message>
            <source>An access token the platform&apos;s back office showed you</source>
            <translation>平台后台给出的访问令牌</translation>
        </message>
        <message>
            <source>Access token</source>
            <translation>访问令牌</translation>
        </message>
        <message>
            <source>Authorization page</source>
            <translation>授权页面</translation>
        </message>
        <message>
            <source>Authorize</source>
            <translation>授权</translation>
        </message>
        <message>
            <source>Authorized.</source>
            <translation>已授权。</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>授权码</translation>
        </message>
        <message>
            <source>Exchanging the code…</source>
            <translation>正在用授权码换取令牌…</translation>
        </message>
        <message>
            <source>Get the token</source>
            <translation>获取令牌</translation>
        </message>
        <message>
            <source>No authorization page: {error}</source>
            <translation>无法生成授权页面：{error}</translation>
        </message>
        <message>
            <source>Open in browser</source>
            <translation>在浏览器中打开</translation>
        </message>
        <message>
            <source>Sign in as the shop on the platform's page, then paste the code it shows.</source>
            <translation>在平台页面以店铺身份登录并授权，然后把页面显示的授权码粘贴到这里。</translation>
        </message>
        <message>
            <source>The platform refused the code: {error}</source>
            <translation>平台拒绝了这个授权码：{error}</translation>
        </message>
    </context>
    <context>
        <name>PlatformPage</name>
        <message>
            <source>Platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Which platform is the shop on? Each comes from a platform plugin.</source>
            <translation>店铺在哪个平台？每个平台由一个平台插件提供。</translation>
        </message>
    </context>
    <context>
        <name>ShopWizard</name>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>. Chat is not offered by this platform's open API.</source>
            <translation>。该平台开放接口不提供客服聊天。</translation>
        </message>
        <message>
            <source>Add a shop</source>
            <translation>添加店铺</translation>
        </message>
        <message>
            <source>Could not save the shop: {error}</source>
            <translation>店铺未能保存：{error}</translation>
        </message>
        <message>
            <source>Works: {parts}</source>
            <translation>可用：{parts}</translation>
        </message>
        <message>
            <source>chat</source>
            <translation>客服聊天</translation>
        </message>
        <message>
            <source>chat history (read only)</source>
            <translation>聊天记录（只读）</translation>
        </message>
        <message>
            <source>live push</source>
            <translation>实时推送</translation>
        </message>
        <message>
            <source>orders</source>
            <translation>订单</translation>
        </message>
        <message>
            <source>remarks and flags</source>
            <translation>备注与插旗</translation>
        </message>
        <message>
            <source>transfer</source>
            <translation>转接</translation>
        </message>
    </context>
    <context>
        <name>SeatsModel</name>
        <message>
            <source>Seat</source>
            <translation>坐席</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Groups</source>
            <translation>分组</translation>
        </message>
        <message>
            <source>Chats</source>
            <translation>接待</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待中</translation>
        </message>
        <message>
            <source>Longest wait</source>
            <translation>最久等待</translation>
        </message>
        <message>
            <source>Replies (1 h)</source>
            <translation>近1小时回复</translation>
        </message>
        <message>
            <source>Open chats the seat holds / the most it takes at once</source>
            <translation>正在接待的会话数 / 同时接待上限</translation>
        </message>
        <message>
            <source>Of its chats, buyers waiting for an answer</source>
            <translation>其中买家在等回复的会话数</translation>
        </message>
        <message>
            <source>How long its longest-waiting buyer has waited</source>
            <translation>等得最久的买家已等待的时长</translation>
        </message>
        <message>
            <source>Messages the seat sent in the last hour</source>
            <translation>该坐席近 1 小时发出的消息数</translation>
        </message>
        <message>
            <source>{name} (lead)</source>
            <translation>{name}（组长）</translation>
        </message>
        <message>
            <source>Disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>{status} (disconnected)</source>
            <translation>{status}（已断开）</translation>
        </message>
        <message>
            <source>{name} chose “{status}”, but their app is not connected: routing treats the seat as offline.</source>
            <translation>{name} 选择了“{status}”，但其客户端没有连接：分流按离线处理。</translation>
        </message>
        <message>
            <source>At the cap: routing gives this seat no new chats. A lead may still move chats to it.</source>
            <translation>已达接待上限：分流不再给该坐席分配新会话，组长仍可手动移交给它。</translation>
        </message>
        <message>
            <source>every shop</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>{n} shop(s)</source>
            <translation>{n} 个店铺</translation>
        </message>
        <message>
            <source>Signs in as {login}; serves {shops}</source>
            <translation>登录名 {login}；接待{shops}</translation>
        </message>
    </context>
    <context>
        <name>ChatsModel</name>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>已等待</translation>
        </message>
        <message>
            <source>For group</source>
            <translation>指定分组</translation>
        </message>
        <message>
            <source>Last message</source>
            <translation>最新消息</translation>
        </message>
        <message>
            <source>any</source>
            <translation>不限</translation>
        </message>
        <message>
            <source>Handed over by {by}: {reason}</source>
            <translation>{by} 转交：{reason}</translation>
        </message>
    </context>
    <context>
        <name>GroupsModel</name>
        <message>
            <source>{group}  ·  {free}/{n} seats free</source>
            <translation>{group}  ·  {free}/{n} 个坐席空闲</translation>
        </message>
        <message>
            <source>Drop chats here: the least-loaded free seat of {group} gets them, or they wait in the queue for it.</source>
            <translation>把会话拖到这里：交给{group}中最空闲的坐席；没有空闲坐席时，在该组的队列中等待。</translation>
        </message>
    </context>
    <context>
        <name>MoveTargetDialog</name>
        <message>
            <source>Move chats</source>
            <translation>移交会话</translation>
        </message>
        <message>
            <source>Move {n} chat(s) to:</source>
            <translation>把 {n} 个会话移交给：</translation>
        </message>
        <message>
            <source>Type a seat or group name</source>
            <translation>输入坐席或分组名称</translation>
        </message>
        <message>
            <source>{name} · {status} · {chats}/{cap}</source>
            <translation>{name} · {status} · {chats}/{cap}</translation>
        </message>
        <message>
            <source>Group {group} (its freest seat)</source>
            <translation>分组 {group}（该组最空闲的坐席）</translation>
        </message>
    </context>
    <context>
        <name>TeamConsole</name>
        <message>
            <source>Response times…</source>
            <translation>响应时长…</translation>
        </message>
        <message>
            <source> (by {who})</source>
            <translation>（{who} 操作）</translation>
        </message>
        <message>
            <source>Chats of a seat</source>
            <translation>坐席的会话</translation>
        </message>
        <message>
            <source>Chats of {name} ({n})</source>
            <translation>{name}的会话（{n}）</translation>
        </message>
        <message>
            <source>Could not move: {error}</source>
            <translation>无法移交：{error}</translation>
        </message>
        <message>
            <source>Disable seat</source>
            <translation>停用坐席</translation>
        </message>
        <message>
            <source>Disable {name}? The seat can no longer sign in or get chats; its profile and history stay. Release its chats first if it holds any ({n}).</source>
            <translation>停用 {name}？该坐席将不能登录，也不会再分到会话；资料和历史记录保留。如仍有会话（{n} 个），请先释放。</translation>
        </message>
        <message>
            <source>Drag chats from the queue or from a seat's list onto a seat or a group; or select them and press Ctrl+Shift+M.</source>
            <translation>把等待队列或某个坐席的会话拖到坐席或分组上即可移交（可多选）；也可以选中后按 Ctrl+Shift+M。</translation>
        </message>
        <message>
            <source>Edit seat…</source>
            <translation>编辑坐席…</translation>
        </message>
        <message>
            <source>Enable seat</source>
            <translation>启用坐席</translation>
        </message>
        <message>
            <source>Groups (drop chats here)</source>
            <translation>分组（可把会话拖到这里）</translation>
        </message>
        <message>
            <source>Hand all {n} open chats of {name} back to routing?

{name} is suspended afterwards and gets no new chats until you (or another lead) set the seat online again.</source>
            <translation>把 {name} 的全部 {n} 个进行中会话交回分流重新分配？

之后 {name} 将被暂停接待，不再分到新会话，直到你（或其他组长）把它设回在线。</translation>
        </message>
        <message>
            <source>Move chats to…</source>
            <translation>移交给…</translation>
        </message>
        <message>
            <source>New seat…</source>
            <translation>新建坐席…</translation>
        </message>
        <message>
            <source>No groups yet: give seats a group (售前, 售后…) in their profile.</source>
            <translation>还没有分组：在坐席资料里给坐席设置分组（售前、售后…）。</translation>
        </message>
        <message>
            <source>Nobody is waiting for a seat: every open chat has one.</source>
            <translation>没有等待分配的买家：进行中的会话都已有坐席接待。</translation>
        </message>
        <message>
            <source>Open chat</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Pick a seat on the board to see the chats it holds.</source>
            <translation>在上方选择一个坐席，查看它正在接待的会话。</translation>
        </message>
        <message>
            <source>Release all chats</source>
            <translation>释放全部会话</translation>
        </message>
        <message>
            <source>Release all chats…</source>
            <translation>释放全部会话…</translation>
        </message>
        <message>
            <source>Routing rules…</source>
            <translation>分流规则…</translation>
        </message>
        <message>
            <source>Select chats in the queue or in a seat's list first.</source>
            <translation>请先在等待队列或坐席的会话列表中选择会话。</translation>
        </message>
        <message>
            <source>Show disabled</source>
            <translation>显示已停用</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The chats of {name} went back to routing; the seat is suspended.</source>
            <translation>{name} 的会话已交回分流；该坐席已暂停接待。</translation>
        </message>
        <message>
            <source>Today: no status change yet.</source>
            <translation>今日：状态还没有变化。</translation>
        </message>
        <message>
            <source>Today: {events}</source>
            <translation>今日：{events}</translation>
        </message>
        <message>
            <source>Waiting for a seat ({n})</source>
            <translation>等待分配（{n}）</translation>
        </message>
        <message>
            <source>{name} holds no open chat.</source>
            <translation>{name} 当前没有进行中的会话。</translation>
        </message>
        <message>
            <source>{name} is disabled.</source>
            <translation>已停用 {name}。</translation>
        </message>
        <message>
            <source>{name} is enabled again.</source>
            <translation>已重新启用 {name}。</translation>
        </message>
        <message>
            <source>{name} is now {status}.</source>
            <translation>{name} 现在是“{status}”。</translation>
        </message>
        <message>
            <source>…and {n} more not moved</source>
            <translation>……另有 {n} 个未移交</translation>
        </message>
    </context>
    <context>
        <name>SeatDialog</name>
        <message>
            <source> chats at once</source>
            <translation> 个会话</translation>
        </message>
        <message>
            <source>A seat needs a sign-in name and a display name.</source>
            <translation>坐席需要登录名和显示名称。</translation>
        </message>
        <message>
            <source>Add a group…</source>
            <translation>添加分组…</translation>
        </message>
        <message>
            <source>Agent</source>
            <translation>客服</translation>
        </message>
        <message>
            <source>All shops, including shops added later</source>
            <translation>全部店铺（包括以后添加的店铺）</translation>
        </message>
        <message>
            <source>At most:</source>
            <translation>同时接待上限：</translation>
        </message>
        <message>
            <source>Display name:</source>
            <translation>显示名称：</translation>
        </message>
        <message>
            <source>Edit seat {name}</source>
            <translation>编辑坐席 {name}</translation>
        </message>
        <message>
            <source>Groups:</source>
            <translation>分组：</translation>
        </message>
        <message>
            <source>New seat</source>
            <translation>新建坐席</translation>
        </message>
        <message>
            <source>Not saved: {error}</source>
            <translation>未保存：{error}</translation>
        </message>
        <message>
            <source>Only these shops:</source>
            <translation>仅以下店铺：</translation>
        </message>
        <message>
            <source>Platform sub-account</source>
            <translation>平台子账号</translation>
        </message>
        <message>
            <source>Role:</source>
            <translation>角色：</translation>
        </message>
        <message>
            <source>Serves:</source>
            <translation>接待店铺：</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Sign-in name:</source>
            <translation>登录名：</translation>
        </message>
        <message>
            <source>Sub-accounts:</source>
            <translation>子账号：</translation>
        </message>
        <message>
            <source>Team lead (sees every seat, moves chats)</source>
            <translation>组长（查看全部坐席、移交会话）</translation>
        </message>
        <message>
            <source>The seat's account in each shop's platform, used when a chat is also transferred on the platform (转接). Leave empty where none.</source>
            <translation>该坐席在各店铺所在平台的子账号，会话同时在平台侧转接时使用。没有的留空。</translation>
        </message>
        <message>
            <source>Tick at least one shop, or choose all shops.</source>
            <translation>请至少勾选一个店铺，或选择全部店铺。</translation>
        </message>
        <message>
            <source>e.g. xiaowang</source>
            <translation>例如 xiaowang</translation>
        </message>
        <message>
            <source>what colleagues see, e.g. 小王</source>
            <translation>同事看到的名字，例如 小王</translation>
        </message>
    </context>
    <context>
        <name>RoutingDialog</name>
        <message>
            <source> days</source>
            <translation> 天</translation>
        </message>
        <message>
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>A quiet chat stops counting against the cap after:</source>
            <translation>无人等待的会话沉寂多久后不计入上限：</translation>
        </message>
        <message>
            <source>A seat never gets more chats than its cap, and never while it is away, suspended or offline. Chats no seat can take wait in the queue.</source>
            <translation>坐席分到的会话不会超过其上限；离开、暂停接待或离线时也不会分到会话。没有坐席能接的会话在队列中等待。</translation>
        </message>
        <message>
            <source>A seat's app silent this long is offline:</source>
            <translation>坐席客户端无心跳多久算离线：</translation>
        </message>
        <message>
            <source>After-sale chats go to group:</source>
            <translation>售后会话分给分组：</translation>
        </message>
        <message>
            <source>Assign new and reopened chats to seats automatically</source>
            <translation>自动把新会话和重新打开的会话分配给坐席</translation>
        </message>
        <message>
            <source>Never</source>
            <translation>从不</translation>
        </message>
        <message>
            <source>Not saved: {error}</source>
            <translation>未保存：{error}</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Pre-sale chats go to group:</source>
            <translation>售前会话分给分组：</translation>
        </message>
        <message>
            <source>Routing rules</source>
            <translation>分流规则</translation>
        </message>
        <message>
            <source>Same seat for a returning buyer within:</source>
            <translation>回头客优先分给上次接待的坐席，期限：</translation>
        </message>
        <message>
            <source>Take waiting buyers from a seat offline for:</source>
            <translation>坐席离线多久后，改派其等待中的买家：</translation>
        </message>
        <message>
            <source>When that group has no free seat, any group's seat may take it</source>
            <translation>该组没有空闲坐席时，其他分组的坐席也可接待</translation>
        </message>
    </context>
    <context>
        <name>InboxDelegate</name>
        <message>
            <source>Unassigned</source>
            <translation>待分配</translation>
        </message>
    </context>
    <context>
        <name>SeatStatusWidget</name>
        <message>
            <source>{load} chats of at most {cap} · change status with {first}…{last}</source>
            <translation>接待 {load} / 上限 {cap} 个会话 · {first}…{last} 切换状态</translation>
        </message>
        <message>
            <source>Switch seat ({key})</source>
            <translation>切换坐席（{key}）</translation>
        </message>
        <message>
            <source>A team lead suspended this seat: it keeps its chats but gets no new ones. Only a lead can lift it.</source>
            <translation>组长已暂停此坐席：保留现有会话，但不再分配新会话。只有组长可以恢复。</translation>
        </message>
        <message>
            <source>A team lead suspended this seat; only a lead can lift it</source>
            <translation>组长已暂停此坐席，只有组长可以恢复</translation>
        </message>
        <message>
            <source>Could not change the status: {error}</source>
            <translation>未能更改状态：{error}</translation>
        </message>
        <message>
            <source>Not signed in</source>
            <translation>未登录坐席</translation>
        </message>
        <message>
            <source>Not signed in as a seat</source>
            <translation>尚未登录坐席</translation>
        </message>
        <message>
            <source>Seat: {name}</source>
            <translation>坐席：{name}</translation>
        </message>
    </context>
    <context>
        <name>Seats</name>
        <message>
            <source>Away</source>
            <translation>离开</translation>
        </message>
        <message>
            <source>Busy</source>
            <translation>忙碌</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>Online</source>
            <translation>在线</translation>
        </message>
        <message>
            <source>Suspended</source>
            <translation>暂停</translation>
        </message>
    </context>
    <context>
        <name>SwitchSeatDialog</name>
        <message>
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Sign out of this seat and sign in as another; SeatDesk signs in as it next time too.</source>
            <translation>退出当前坐席并以另一个坐席登录；下次启动也将以该坐席登录。</translation>
        </message>
        <message>
            <source>Switch seat</source>
            <translation>切换坐席</translation>
        </message>
        <message>
            <source>lead</source>
            <translation>组长</translation>
        </message>
    </context>
    <context>
        <name>Transfer</name>
        <message>
            <source>After-sale issue, to after-sale</source>
            <translation>售后问题转售后</translation>
        </message>
        <message>
            <source>Price needs the lead's approval</source>
            <translation>议价需组长确认</translation>
        </message>
        <message>
            <source>Specialist to follow up</source>
            <translation>专人跟进</translation>
        </message>
        <message>
            <source>disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>does not serve this shop</source>
            <translation>不接待该店铺</translation>
        </message>
        <message>
            <source>full</source>
            <translation>已满</translation>
        </message>
        <message>
            <source>holds it already</source>
            <translation>正在接待</translation>
        </message>
        <message>
            <source>someone else moved it first</source>
            <translation>已被他人先一步转走</translation>
        </message>
        <message>
            <source>that seat already holds it</source>
            <translation>已在对方名下</translation>
        </message>
        <message>
            <source>the conversation has ended</source>
            <translation>会话已结束</translation>
        </message>
        <message>
            <source>the conversation no longer exists</source>
            <translation>会话已不存在</translation>
        </message>
        <message>
            <source>the seat does not serve this shop</source>
            <translation>对方不接待该店铺</translation>
        </message>
        <message>
            <source>the seat is disabled</source>
            <translation>对方坐席已停用</translation>
        </message>
        <message>
            <source>the seat is full ({detail})</source>
            <translation>对方已满（{detail}）</translation>
        </message>
        <message>
            <source>the seat is {status}</source>
            <translation>对方{status}</translation>
        </message>
        <message>
            <source>{buyer}: not moved, {reason}</source>
            <translation>{buyer}：未转接，{reason}</translation>
        </message>
        <message>
            <source>{n} conversation(s) handed to {target}</source>
            <translation>已将 {n} 个会话转给 {target}</translation>
        </message>
        <message>
            <source>{n} conversation(s) wait in the {group} queue: no free seat there</source>
            <translation>{n} 个会话进入 {group} 队列：该组暂无空闲坐席</translation>
        </message>
        <message>
            <source>{who} moved it first</source>
            <translation>已被{who}先一步转走</translation>
        </message>
    </context>
    <context>
        <name>TransferDialog</name>
        <message>
            <source> (me)</source>
            <translation>（我）</translation>
        </message>
        <message>
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <source>Cannot take it now: {why}</source>
            <translation>暂不能接待：{why}</translation>
        </message>
        <message>
            <source>Chats</source>
            <translation>会话</translation>
        </message>
        <message>
            <source>Choose a seat or a group</source>
            <translation>请选择坐席或分组</translation>
        </message>
        <message>
            <source>Could not transfer: {error}</source>
            <translation>转接失败：{error}</translation>
        </message>
        <message>
            <source>Give it back if not answered within</source>
            <translation>对方未回复则退回，时限</translation>
        </message>
        <message>
            <source>Groups</source>
            <translation>分组</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>转接原因</translation>
        </message>
        <message>
            <source>Reason, one line — the receiver reads it first</source>
            <translation>一句话说明原因，对方打开会话时首先看到</translation>
        </message>
        <message>
            <source>Seat or group</source>
            <translation>坐席或分组</translation>
        </message>
        <message>
            <source>Seats</source>
            <translation>坐席</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Transfer</source>
            <translation>转接</translation>
        </message>
        <message>
            <source>Transfer conversation</source>
            <translation>转接会话</translation>
        </message>
        <message>
            <source>Transfer {buyer} ({shop}) to:</source>
            <translation>将 {buyer}（{shop}）转接给：</translation>
        </message>
        <message>
            <source>Transfer {n} conversations to:</source>
            <translation>将 {n} 个会话转接给：</translation>
        </message>
        <message>
            <source>Type to find a seat or group…</source>
            <translation>输入名字查找坐席或分组…</translation>
        </message>
        <message>
            <source>Write a reason: the receiver reads it first</source>
            <translation>请填写转接原因：对方首先看到它</translation>
        </message>
        <message>
            <source>no free seat: it waits in the group's queue</source>
            <translation>暂无空闲坐席：进入该组队列等待</translation>
        </message>
        <message>
            <source>{n} free seat(s): the least busy gets it</source>
            <translation>{n} 个空闲坐席：分给最空闲的一位</translation>
        </message>
        <message>
            <source>{n} seat(s)</source>
            <translation>{n} 个坐席</translation>
        </message>
        <message>
            <source>{why} — as a lead you may still move it here</source>
            <translation>{why}，作为组长仍可转给对方</translation>
        </message>
    </context>
    <context>
        <name>CheatSheetDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>快捷键一览</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>命令</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>快捷键</translation>
        </message>
        <message>
            <source>Type to find a command…</source>
            <translation>输入以查找命令…</translation>
        </message>
        <message>
            <source>&amp;Customize…</source>
            <translation>自定义…(&amp;C)</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Typing a reply</source>
            <translation>输入回复</translation>
        </message>
    </context>
    <context>
        <name>KeymapDialog</name>
        <message>
            <source>Customize shortcuts</source>
            <translation>自定义快捷键</translation>
        </message>
        <message>
            <source>Pick a command and press Enter, then the new keys (Tab leaves the recorder). Shortcuts work anywhere in the window, even while typing a reply.</source>
            <translation>选中一个命令后按 Enter，再按下新的按键（Tab 离开录制框）。快捷键在整个窗口内有效，输入回复时也可用。</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>命令</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>快捷键</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>Type to find a command or a key…</source>
            <translation>输入以查找命令或按键…</translation>
        </message>
        <message>
            <source>C&amp;lear</source>
            <translation>清除(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Default</source>
            <translation>恢复默认(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Reset all</source>
            <translation>全部恢复默认(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>{key} is already the shortcut of “{command}”. Press another key, or take it from that command.</source>
            <translation>{key} 已是“{command}”的快捷键。请换一个键，或从该命令取走它。</translation>
        </message>
        <message>
            <source>&amp;Take it from “{command}”</source>
            <translation>从“{command}”取走(&amp;T)</translation>
        </message>
        <message>
            <source>{key} is the shortcut of both “{a}” and “{b}”.</source>
            <translation>{key} 同时是“{a}”和“{b}”的快捷键。</translation>
        </message>
        <message>
            <source>{key} is kept for typing and editing in the reply box.</source>
            <translation>{key} 留给回复框输入和编辑使用。</translation>
        </message>
        <message>
            <source>Use a single key combination.</source>
            <translation>请只用一个组合键。</translation>
        </message>
        <message>
            <source>{key} would be typed into the reply box: add Ctrl or Alt, or use a function key.</source>
            <translation>{key} 会被输入到回复框：请加上 Ctrl 或 Alt，或使用功能键。</translation>
        </message>
        <message>
            <source>This key</source>
            <translation>这个键</translation>
        </message>
        <message>
            <source>Shortcut of “{command}”:</source>
            <translation>“{command}”的快捷键：</translation>
        </message>
    </context>
    <context>
        <name>AlertsDialog</name>
        <message>
            <source>{start}–{end} (into the next day)</source>
            <translation>{start}–{end}（至次日）</translation>
        </message>
        <message>
            <source>Notification settings</source>
            <translation>通知设置</translation>
        </message>
        <message>
            <source>&amp;Pop-up in the tray when a buyer writes</source>
            <translation>买家发来消息时弹出托盘通知(&amp;P)</translation>
        </message>
        <message>
            <source>S&amp;ound when a buyer writes</source>
            <translation>买家发来消息时播放提示音(&amp;O)</translation>
        </message>
        <message>
            <source>Only your own buyers and the unassigned queue alert you, and a pop-up only shows while SeatDesk is not the window in front. Ctrl+M mutes everything at once.</source>
            <translation>只有你接待的买家和待分配队列会提醒你；SeatDesk 不在最前面时才弹出通知。Ctrl+M 一键全部静音。</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Pop-up</source>
            <translation>弹窗</translation>
        </message>
        <message>
            <source>Sound</source>
            <translation>声音</translation>
        </message>
        <message>
            <source>Chime</source>
            <translation>风铃</translation>
        </message>
        <message>
            <source>Ding</source>
            <translation>叮咚</translation>
        </message>
        <message>
            <source>Bubble</source>
            <translation>气泡</translation>
        </message>
        <message>
            <source>P&amp;lay</source>
            <translation>试听(&amp;L)</translation>
        </message>
        <message>
            <source>Per shop</source>
            <translation>按店铺</translation>
        </message>
        <message>
            <source>Add &amp;quiet hours</source>
            <translation>添加免打扰时段(&amp;Q)</translation>
        </message>
        <message>
            <source>Add my s&amp;hift</source>
            <translation>添加我的班次(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation>删除(&amp;R)</translation>
        </message>
        <message>
            <source>Quiet hours: muted inside</source>
            <translation>免打扰：时段内静音</translation>
        </message>
        <message>
            <source>My shift: muted outside</source>
            <translation>我的班次：班次外静音</translation>
        </message>
        <message>
            <source>Mon</source>
            <translation>周一</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>周二</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>周三</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>周四</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>周五</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>周六</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>周日</translation>
        </message>
        <message>
            <source>Mute schedule</source>
            <translation>静音时段</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Quiet hours</source>
            <translation>免打扰</translation>
        </message>
        <message>
            <source>My shift</source>
            <translation>我的班次</translation>
        </message>
        <message>
            <source>every day</source>
            <translation>每天</translation>
        </message>
        <message>
            <source>Mon–Fri</source>
            <translation>周一至周五</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>no day</source>
            <translation>不生效</translation>
        </message>
        <message>
            <source>all day</source>
            <translation>全天</translation>
        </message>
        <message>
            <source>No schedule: alerts ring at any time.</source>
            <translation>未设静音时段：任何时间都会提醒。</translation>
        </message>
        <message>
            <source>Muted at all times.</source>
            <translation>始终静音。</translation>
        </message>
        <message>
            <source>Never muted by the schedule.</source>
            <translation>不会按时段静音。</translation>
        </message>
        <message>
            <source>Muted now, until {time}.</source>
            <translation>现在静音，直到 {time}。</translation>
        </message>
        <message>
            <source>Alerts on now; muted from {time}.</source>
            <translation>现在会提醒；{time} 起静音。</translation>
        </message>
        <message>
            <source>Sound:</source>
            <translation>声音：</translation>
        </message>
        <message>
            <source>Sound of {shop}:</source>
            <translation>{shop}的提示音：</translation>
        </message>
    </context>
    <context>
        <name>Search</name>
        <message>
            <source>Messages</source>
            <translation>消息</translation>
        </message>
        <message>
            <source>Buyers</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Orders</source>
            <translation>订单</translation>
        </message>
        <message>
            <source>Remarks</source>
            <translation>备注</translation>
        </message>
    </context>
    <context>
        <name>SearchDelegate</name>
        <message>
            <source>Me: </source>
            <translation>我方：</translation>
        </message>
    </context>
    <context>
        <name>SearchDialog</name>
        <message>
            <source>Search every shop</source>
            <translation>在所有店铺中搜索</translation>
        </message>
        <message>
            <source>Messages, buyer nicks, order or waybill numbers, remarks</source>
            <translation>消息、买家昵称、订单号或运单号、备注</translation>
        </message>
        <message>
            <source>Search failed: {error}</source>
            <translation>搜索失败：{error}</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>搜索中…</translation>
        </message>
        <message>
            <source>Type to search every shop. ↑↓ choose · Enter open · Esc close</source>
            <translation>输入即可搜索所有店铺。↑↓ 选择 · Enter 打开 · Esc 关闭</translation>
        </message>
        <message>
            <source>Nothing found for “{query}”</source>
            <translation>没有找到“{query}”</translation>
        </message>
        <message>
            <source>{n} results in {ms} ms · Enter opens</source>
            <translation>{n} 条结果，用时 {ms} 毫秒 · Enter 打开</translation>
        </message>
    </context>
    <context>
        <name>PhraseStage</name>
        <message>
            <source>Greeting</source>
            <translation>欢迎</translation>
        </message>
        <message>
            <source>Product</source>
            <translation>商品咨询</translation>
        </message>
        <message>
            <source>Bargaining</source>
            <translation>议价</translation>
        </message>
        <message>
            <source>Payment</source>
            <translation>支付</translation>
        </message>
        <message>
            <source>Logistics</source>
            <translation>物流</translation>
        </message>
        <message>
            <source>Farewell (sale)</source>
            <translation>成交欢送</translation>
        </message>
        <message>
            <source>Farewell (no sale)</source>
            <translation>未成交欢送</translation>
        </message>
        <message>
            <source>Dunning</source>
            <translation>催付</translation>
        </message>
        <message>
            <source>After-sale</source>
            <translation>售后</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>个人</translation>
        </message>
        <message>
            <source>{shop} only</source>
            <translation>仅{shop}</translation>
        </message>
    </context>
    <context>
        <name>PhrasePicker</name>
        <message>
            <source>No quick replies yet: add some in the library (Tools → Quick-reply library…).</source>
            <translation>还没有快捷短语：请在短语库里添加（工具 → 快捷短语库…）。</translation>
        </message>
        <message>
            <source>No quick reply matches “{query}”</source>
            <translation>没有与“{query}”匹配的快捷短语</translation>
        </message>
        <message>
            <source>Quick replies · {count} · ↑↓ choose · Enter insert · Esc close</source>
            <translation>快捷短语 · {count} 条 · ↑↓ 选择 · Enter 插入 · Esc 关闭</translation>
        </message>
    </context>
    <context>
        <name>QuickReplies</name>
        <message>
            <source>Fill in {names}: this chat does not know them</source>
            <translation>请填写 {names}：当前会话没有这些信息</translation>
        </message>
        <message>
            <source>Nothing on Ctrl+{slot}: pin a phrase to it in the quick-reply library</source>
            <translation>Ctrl+{slot} 上还没有短语：请在快捷短语库里设置</translation>
        </message>
        <message>
            <source>{title}: answer {n} of {count}; pick it again for the next</source>
            <translation>{title}：第 {n}/{count} 条，再选一次给出下一条</translation>
        </message>
    </context>
    <context>
        <name>PhrasesDialog</name>
        <message>
            <source>&amp;Delete</source>
            <translation>删除(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Import CSV…</source>
            <translation>导入 CSV…(&amp;I)</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>新建(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <source>A phrase of my own with the same stage and title replaces the team's in my chats</source>
            <translation>阶段和标题相同的个人短语，会在我的会话里替代团队的那条</translation>
        </message>
        <message>
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete “{title}”?</source>
            <translation>删除“{title}”？</translation>
        </message>
        <message>
            <source>E&amp;xport CSV…</source>
            <translation>导出 CSV…(&amp;X)</translation>
        </message>
        <message>
            <source>Every shop</source>
            <translation>所有店铺</translation>
        </message>
        <message>
            <source>Export quick replies</source>
            <translation>导出快捷短语</translation>
        </message>
        <message>
            <source>Favourite key</source>
            <translation>常用快捷键</translation>
        </message>
        <message>
            <source>Import failed: {error}</source>
            <translation>导入失败：{error}</translation>
        </message>
        <message>
            <source>Import quick replies</source>
            <translation>导入快捷短语</translation>
        </message>
        <message>
            <source>In the reply box, this key inserts the phrase. A lead's key on a team phrase is the team's default; anyone may pick their own.</source>
            <translation>在回复框里按这个键即插入本短语。组长给团队短语设的键是全队默认，每个人也可以设自己的。</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>快捷键</translation>
        </message>
        <message>
            <source>Last changed by {who}</source>
            <translation>最后修改：{who}</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>短语库</translation>
        </message>
        <message>
            <source>Make my own &amp;copy</source>
            <translation>复制为个人短语(&amp;C)</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>个人</translation>
        </message>
        <message>
            <source>My own</source>
            <translation>个人短语</translation>
        </message>
        <message>
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Platform red line</source>
            <translation>平台红线</translation>
        </message>
        <message>
            <source>Quick-reply library</source>
            <translation>快捷短语库</translation>
        </message>
        <message>
            <source>Red line — {category}: “{matched}” {explain}</source>
            <translation>红线 — {category}：“{matched}” {explain}</translation>
        </message>
        <message>
            <source>Saved “{title}”</source>
            <translation>已保存“{title}”</translation>
        </message>
        <message>
            <source>Search title, shortcut, pinyin initials, text…</source>
            <translation>搜索标题、快捷码、拼音首字母、内容…</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>快捷码</translation>
        </message>
        <message>
            <source>Skipped: {lines}</source>
            <translation>已跳过：{lines}</translation>
        </message>
        <message>
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <source>Team</source>
            <translation>团队</translation>
        </message>
        <message>
            <source>Team library</source>
            <translation>团队短语</translation>
        </message>
        <message>
            <source>The team's library is edited by a team lead. Make your own copy to change it for your chats; the favourite key is yours to set.</source>
            <translation>团队短语由组长维护。要在自己的会话里改用别的说法，请复制为个人短语；常用快捷键可以自己设。</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <source>Unknown variables: {names}</source>
            <translation>未知变量：{names}</translation>
        </message>
        <message>
            <source>line {n}: {why}</source>
            <translation>第 {n} 行：{why}</translation>
        </message>
        <message>
            <source>typed after / to find it first, e.g. hy</source>
            <translation>在 / 后输入即排第一，如 hy</translation>
        </message>
        <message>
            <source>{head}Preview: {text}</source>
            <translation>{head}预览：{text}</translation>
        </message>
        <message>
            <source>{n} escalating answers; each pick in a chat offers the next. </source>
            <translation>共 {n} 条递进回复，在同一会话里每选一次给出下一条。</translation>
        </message>
        <message>
            <source>{n} phrases written to {path}</source>
            <translation>已写入 {n} 条短语到 {path}</translation>
        </message>
        <message>
            <source>{rows} rows read: {added} added, {updated} updated.</source>
            <translation>读取 {rows} 行：新增 {added} 条，更新 {updated} 条。</translation>
        </message>
        <message>
            <source>“{matched}” crosses a platform red line ({category}): {explain}

Save it anyway? Agents will still be stopped when they send it, and this is logged.</source>
            <translation>“{matched}”触犯平台红线（{category}）：{explain}

仍然保存吗？客服发送时仍会被拦下，本次保存会记录在案。</translation>
        </message>
        <message>
            <source>亲，{买家}… Variables in braces are filled from the chat. For escalating answers (bargaining), put each on its own, separated by a line holding only ---</source>
            <translation>亲，{买家}…… 花括号里的变量按当前会话填入。递进回复（如议价）每条之间用单独一行 --- 隔开</translation>
        </message>
    </context>
    <context>
        <name>RedLine</name>
        <message>
            <source>Absolute advertising claim</source>
            <translation>绝对化用语</translation>
        </message>
        <message>
            <source>Leading the buyer off the platform</source>
            <translation>引导站外联系</translation>
        </message>
        <message>
            <source>Paying for good reviews</source>
            <translation>好评返现</translation>
        </message>
        <message>
            <source>Payment outside the platform</source>
            <translation>站外支付</translation>
        </message>
        <message>
            <source>Refusing an invoice</source>
            <translation>拒开发票</translation>
        </message>
        <message>
            <source>Team rule</source>
            <translation>团队规则</translation>
        </message>
    </context>
    <context>
        <name>RedLineBar</name>
        <message>
            <source> (+{n} more)</source>
            <translation>（另有 {n} 条）</translation>
        </message>
        <message>
            <source>Not sent: crosses a platform red line — {category}</source>
            <translation>未发送：触犯平台红线 — {category}</translation>
        </message>
        <message>
            <source>Platform red line — {category}</source>
            <translation>平台红线 — {category}</translation>
        </message>
        <message>
            <source>Send anyway (Ctrl+Shift+Enter)</source>
            <translation>仍然发送 (Ctrl+Shift+Enter)</translation>
        </message>
    </context>
    <context>
        <name>RedLinesDialog</name>
        <message>
            <source>&amp;Back to shipped</source>
            <translation>恢复出厂规则(&amp;B)</translation>
        </message>
        <message>
            <source>&amp;New rule</source>
            <translation>新建规则(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Save rule</source>
            <translation>保存规则(&amp;S)</translation>
        </message>
        <message>
            <source>Allowed</source>
            <translation>例外</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Match</source>
            <translation>匹配方式</translation>
        </message>
        <message>
            <source>Matched</source>
            <translation>命中内容</translation>
        </message>
        <message>
            <source>No red line crossed</source>
            <translation>未触犯红线</translation>
        </message>
        <message>
            <source>On</source>
            <translation>启用</translation>
        </message>
        <message>
            <source>Only a team lead changes the rules.</source>
            <translation>只有组长可以修改规则。</translation>
        </message>
        <message>
            <source>Override log</source>
            <translation>越过记录</translation>
        </message>
        <message>
            <source>Pattern</source>
            <translation>规则</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Platform red lines</source>
            <translation>平台红线</translation>
        </message>
        <message>
            <source>Regular expression</source>
            <translation>正则表达式</translation>
        </message>
        <message>
            <source>Replies sent and phrases saved despite a red line, newest first.</source>
            <translation>触犯红线仍然发送的回复和仍然保存的短语，最新的在前。</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>规则</translation>
        </message>
        <message>
            <source>Rule id</source>
            <translation>规则编号</translation>
        </message>
        <message>
            <source>Rules</source>
            <translation>规则</translation>
        </message>
        <message>
            <source>Saved: every seat checks replies with it now</source>
            <translation>已保存：所有坐席现在都按它检查回复</translation>
        </message>
        <message>
            <source>Seat</source>
            <translation>坐席</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Try a reply against this platform's rules…</source>
            <translation>输入一句回复，试试这个平台的规则…</translation>
        </message>
        <message>
            <source>What</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Why (shown to the agent)</source>
            <translation>原因（显示给客服）</translation>
        </message>
        <message>
            <source>Words (one per line)</source>
            <translation>词语（每行一个）</translation>
        </message>
        <message>
            <source>added by the team</source>
            <translation>团队新增</translation>
        </message>
        <message>
            <source>allowed inside a match, comma-separated (e.g. taobao.com)</source>
            <translation>命中内容里含这些就放行，逗号分隔（如 taobao.com）</translation>
        </message>
        <message>
            <source>edited by the team</source>
            <translation>团队已修改</translation>
        </message>
        <message>
            <source>phrase saved</source>
            <translation>保存短语</translation>
        </message>
        <message>
            <source>reply sent</source>
            <translation>发送回复</translation>
        </message>
        <message>
            <source>shipped</source>
            <translation>出厂</translation>
        </message>
        <message>
            <source>{origin}, from {set}</source>
            <translation>{origin}，来自 {set}</translation>
        </message>
    </context>
    <context>
        <name>AutoReplyDialog</name>
        <message>
            <source> h</source>
            <translation> 小时</translation>
        </message>
        <message>
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <source>(Beijing time)</source>
            <translation>（北京时间）</translation>
        </message>
        <message>
            <source>At most once per buyer every</source>
            <translation>同一买家最多每隔</translation>
        </message>
        <message>
            <source>Auto-replies</source>
            <translation>自动回复</translation>
        </message>
        <message>
            <source>Business hours</source>
            <translation>营业时间</translation>
        </message>
        <message>
            <source>Busy line when no seat can take the buyer</source>
            <translation>忙碌回复：没有客服能接待时</translation>
        </message>
        <message>
            <source>Line outside business hours</source>
            <translation>非营业时间回复</translation>
        </message>
        <message>
            <source>Not saved: {errors}</source>
            <translation>未保存：{errors}</translation>
        </message>
        <message>
            <source>Only a buyer&apos;s new message triggers a line, never our own messages, so two robots cannot answer each other. Lines go out through the outbox marked as automatic; the buyer still counts as waiting until a person answers. Variables: {names}.</source>
            <translation>只有买家的新消息会触发自动回复，我们自己发出的消息永远不会，所以两个机器人不会互相应答。自动回复经发件箱发出并标为“自动”；在真人回复之前，买家仍算作等待中。可用变量：{names}。</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Welcome line on a new chat</source>
            <translation>欢迎语：新会话</translation>
        </message>
        <message>
            <source>{shop}: {error}</source>
            <translation>{shop}：{error}</translation>
        </message>
    </context>
    <context>
        <name>DunnedModel</name>
        <message>
            <source>Asked first</source>
            <translation>咨询后下单</translation>
        </message>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Buyer type</source>
            <translation>买家类型</translation>
        </message>
        <message>
            <source>By</source>
            <translation>催付人</translation>
        </message>
        <message>
            <source>Closed unpaid</source>
            <translation>未付款已关闭</translation>
        </message>
        <message>
            <source>Dunned</source>
            <translation>催付时间</translation>
        </message>
        <message>
            <source>Order no.</source>
            <translation>订单号</translation>
        </message>
        <message>
            <source>Ordered silently</source>
            <translation>静默下单</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Paid {time}</source>
            <translation>{time} 付款</translation>
        </message>
        <message>
            <source>Paid · recovered</source>
            <translation>已付款 · 已挽回</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>Waiting</source>
            <translation>等待付款</translation>
        </message>
        <message>
            <source>{time} (×{n})</source>
            <translation>{time}（×{n}）</translation>
        </message>
    </context>
    <context>
        <name>DunningSettingsDialog</name>
        <message>
            <source> h</source>
            <translation> 小时</translation>
        </message>
        <message>
            <source>A shop&apos;s own templates (empty: the team&apos;s)</source>
            <translation>店铺专用模板（留空则用团队模板）</translation>
        </message>
        <message>
            <source>Asked before ordering</source>
            <translation>咨询后下单</translation>
        </message>
        <message>
            <source>Dunning settings</source>
            <translation>催付设置</translation>
        </message>
        <message>
            <source>Empty: the team&apos;s template</source>
            <translation>留空：使用团队模板</translation>
        </message>
        <message>
            <source>How often one buyer may be dunned in one shop</source>
            <translation>同一买家在同一店铺的催付间隔</translation>
        </message>
        <message>
            <source>Not saved: {error}</source>
            <translation>未保存：{error}</translation>
        </message>
        <message>
            <source>Ordered silently</source>
            <translation>静默下单</translation>
        </message>
        <message>
            <source>Platforms limit dunning: Taobao allows one per buyer and shop in 24 hours.</source>
            <translation>平台限制催付频率：淘宝规定同一买家在同一店铺 24 小时内只能催付一次。</translation>
        </message>
        <message>
            <source>Quick replies…</source>
            <translation>快捷短语…</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>The team&apos;s templates</source>
            <translation>团队模板</translation>
        </message>
        <message>
            <source>Use a quick reply of the dunning (催付) stage</source>
            <translation>使用“催付”阶段的快捷短语</translation>
        </message>
        <message>
            <source>Variables: {names}. A dunning whose template needs a value the order has not got is refused, not sent with a gap.</source>
            <translation>可用变量：{names}。模板需要的值订单中没有时，这次催付会被拒绝，而不是发出一句缺字的话。</translation>
        </message>
    </context>
    <context>
        <name>DunningView</name>
        <message>
            <source>Dun ({key})</source>
            <translation>催付 ({key})</translation>
        </message>
        <message>
            <source>All shops</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>Batch dunning</source>
            <translation>批量催付</translation>
        </message>
        <message>
            <source>Dun</source>
            <translation>催付</translation>
        </message>
        <message>
            <source>Dun {n} buyer(s)…</source>
            <translation>催付 {n} 位买家…</translation>
        </message>
        <message>
            <source>Dunned {n} buyer(s).</source>
            <translation>已催付 {n} 位买家。</translation>
        </message>
        <message>
            <source>Dunned → paid</source>
            <translation>催付 → 付款</translation>
        </message>
        <message>
            <source>Dunning failed: {error}</source>
            <translation>催付失败：{error}</translation>
        </message>
        <message>
            <source>Dunning settings…</source>
            <translation>催付设置…</translation>
        </message>
        <message>
            <source>Last {n} days</source>
            <translation>最近 {n} 天</translation>
        </message>
        <message>
            <source>No unpaid orders: every buyer has paid or the order was closed.</source>
            <translation>没有待付款订单：买家都已付款，或订单已关闭。</translation>
        </message>
        <message>
            <source>Nobody was dunned in this period.</source>
            <translation>这段时间内没有催付过。</translation>
        </message>
        <message>
            <source>Not dunned: {n}</source>
            <translation>未催付：{n}</translation>
        </message>
        <message>
            <source>Open the chat</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Select the unpaid orders to dun first.</source>
            <translation>请先选择要催付的订单。</translation>
        </message>
        <message>
            <source>Send the dunning message for {n} orders ({buyers} buyers)? {asked} asked before ordering, {silent} ordered silently.</source>
            <translation>为 {n} 个订单（{buyers} 位买家）发送催付消息？其中 {asked} 个咨询后下单，{silent} 个静默下单。</translation>
        </message>
        <message>
            <source>Send the selected buyers the dunning template that fits them: one for buyers who asked before ordering, one for buyers who ordered silently. Several at once are confirmed first.</source>
            <translation>给所选买家发送对应的催付模板：咨询后下单的买家一套，静默下单的买家一套。一次催付多位买家前会先确认。</translation>
        </message>
        <message>
            <source>This buyer has no chat in the shop yet.</source>
            <translation>这位买家在该店铺还没有会话。</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>Unpaid</source>
            <translation>待付款</translation>
        </message>
        <message>
            <source>Unpaid ({n})</source>
            <translation>待付款（{n}）</translation>
        </message>
        <message>
            <source>{buyer}: already dunned in this shop by {seat} at {time}; the platform allows one dunning per buyer and shop every {hours} h — next from {next}.</source>
            <translation>{buyer}：{seat} 已于 {time} 在本店催付过；平台规定同一买家在同一店铺每 {hours} 小时只能催付一次，{next} 后可再催。</translation>
        </message>
        <message>
            <source>{buyer}: the order is gone.</source>
            <translation>{buyer}：订单已不存在。</translation>
        </message>
        <message>
            <source>{buyer}: the order is no longer unpaid ({status}).</source>
            <translation>{buyer}：订单已不是待付款（{status}）。</translation>
        </message>
        <message>
            <source>{buyer}: the template needs {names}, which this order has not got.</source>
            <translation>{buyer}：模板需要 {names}，这个订单没有。</translation>
        </message>
        <message>
            <source>{buyer}: there is no chat with this buyer to send to.</source>
            <translation>{buyer}：与这位买家没有可发送的会话。</translation>
        </message>
        <message>
            <source>{buyer}: {platform} cannot send messages.</source>
            <translation>{buyer}：{platform} 不支持发送消息。</translation>
        </message>
        <message>
            <source>{n} of them were dunned too recently and will be skipped.</source>
            <translation>其中 {n} 位刚催付过，将被跳过。</translation>
        </message>
        <message>
            <source>{period}: {dunned} dunned · {paid} paid · {amount} recovered</source>
            <translation>{period}：已催付 {dunned} 单 · 已付款 {paid} 单 · 挽回 {amount}</translation>
        </message>
        <message>
            <source>… and {n} more</source>
            <translation>……另有 {n} 个</translation>
        </message>
    </context>
    <context>
        <name>ResponseModel</name>
        <message>
            <source>All shops</source>
            <translation>全部店铺</translation>
        </message>
        <message>
            <source>Answers</source>
            <translation>回复次数</translation>
        </message>
        <message>
            <source>Average response</source>
            <translation>平均响应</translation>
        </message>
        <message>
            <source>First response</source>
            <translation>首次响应</translation>
        </message>
        <message>
            <source>From the buyer&apos;s first message of a reception to the first answer a person gave; auto-replies do not count. Waits outside the platform&apos;s hours start when they open.</source>
            <translation>从一次接待中买家的第一条消息，到真人的第一次回复；自动回复不算。平台考核时段之外的等待，从考核时段开始时计。</translation>
        </message>
        <message>
            <source>Receptions</source>
            <translation>接待数</translation>
        </message>
        <message>
            <source>Seat</source>
            <translation>坐席</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Within deadline</source>
            <translation>时限内回复</translation>
        </message>
    </context>
    <context>
        <name>ResponseReportDialog</name>
        <message>
            <source>(no seat)</source>
            <translation>（无坐席）</translation>
        </message>
        <message>
            <source>A reception is a chat&apos;s first message, or the first after half an hour of silence. Within deadline: answered inside the platform&apos;s reply time (e.g. 3 minutes).</source>
            <translation>一次接待：会话的第一条消息，或沉默半小时后的第一条消息。时限内回复：在平台规定的回复时间（如 3 分钟）内回复。</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>最近 30 天</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <source>Nobody answered a waiting buyer in this period.</source>
            <translation>这段时间内没有回复过等待中的买家。</translation>
        </message>
        <message>
            <source>Response times</source>
            <translation>响应时长</translation>
        </message>
        <message>
            <source>The team</source>
            <translation>全团队</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>Yesterday</source>
            <translation>昨天</translation>
        </message>
    </context>
    <context>
        <name>UnpaidModel</name>
        <message>
            <source>Asked first</source>
            <translation>咨询后下单</translation>
        </message>
        <message>
            <source>Asked first: the buyer wrote in this shop before ordering (the “asked” template). Ordered silently: no message before the order.</source>
            <translation>咨询后下单：买家下单前在本店发过消息（用“咨询过”模板）。静默下单：下单前没有消息。</translation>
        </message>
        <message>
            <source>Buyer</source>
            <translation>买家</translation>
        </message>
        <message>
            <source>Buyer type</source>
            <translation>买家类型</translation>
        </message>
        <message>
            <source>Dunned {time} by {seat} · again from {next}</source>
            <translation>{seat} 已于 {time} 催付 · {next} 后可再催</translation>
        </message>
        <message>
            <source>Dunned {time} · may dun again</source>
            <translation>已于 {time} 催付 · 可再催</translation>
        </message>
        <message>
            <source>Dunning</source>
            <translation>催付</translation>
        </message>
        <message>
            <source>Item</source>
            <translation>商品</translation>
        </message>
        <message>
            <source>No message from this buyer before the order: the “silent” template.</source>
            <translation>这位买家下单前没有发过消息：用“静默下单”模板。</translation>
        </message>
        <message>
            <source>Not dunned yet</source>
            <translation>未催付</translation>
        </message>
        <message>
            <source>Order no.</source>
            <translation>订单号</translation>
        </message>
        <message>
            <source>Ordered silently</source>
            <translation>静默下单</translation>
        </message>
        <message>
            <source>Placed {time}</source>
            <translation>{time} 下单</translation>
        </message>
        <message>
            <source>Shop</source>
            <translation>店铺</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>金额</translation>
        </message>
        <message>
            <source>Unpaid for</source>
            <translation>未付款时长</translation>
        </message>
    </context>
    <context>
        <name>FollowUpDialog</name>
        <message>
            <source>Already promised to this buyer</source>
            <translation>已答应这位买家的回访</translation>
        </message>
        <message>
            <source>At</source>
            <translation>指定时间</translation>
        </message>
        <message>
            <source>Before my shift ends</source>
            <translation>下班前</translation>
        </message>
        <message>
            <source>Before my shift ends ({shift})</source>
            <translation>下班前（{shift}）</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Could not set the reminder: {error}</source>
            <translation>无法设置提醒：{error}</translation>
        </message>
        <message>
            <source>Follow up later</source>
            <translation>稍后回访</translation>
        </message>
        <message>
            <source>Follow up with {buyer} · {shop}</source>
            <translation>回访 {buyer} · {shop}</translation>
        </message>
        <message>
            <source>Follow-up done</source>
            <translation>回访已完成</translation>
        </message>
        <message>
            <source>In {n} minutes</source>
            <translation>{n} 分钟后</translation>
        </message>
        <message>
            <source>Mark done</source>
            <translation>标记完成</translation>
        </message>
        <message>
            <source>Me ({seat})</source>
            <translation>我（{seat}）</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Pick when to be reminded</source>
            <translation>请选择提醒时间</translation>
        </message>
        <message>
            <source>Remind</source>
            <translation>提醒谁</translation>
        </message>
        <message>
            <source>Reminder set for {who} at {time}</source>
            <translation>已设置提醒：{time} 提醒{who}</translation>
        </message>
        <message>
            <source>Set reminder</source>
            <translation>设置提醒</translation>
        </message>
        <message>
            <source>That time has passed: pick a later one</source>
            <translation>这个时间已经过了，请选一个更晚的时间</translation>
        </message>
        <message>
            <source>Tomorrow morning</source>
            <translation>明天上午</translation>
        </message>
        <message>
            <source>What to follow up, e.g. call back about the new address</source>
            <translation>要跟进什么，例如：回电确认新地址</translation>
        </message>
        <message>
            <source>When</source>
            <translation>何时提醒</translation>
        </message>
        <message>
            <source>Whoever works the next shift</source>
            <translation>下一班次的同事</translation>
        </message>
        <message>
            <source>Whoever works the next shift ({shift})</source>
            <translation>下一班次的同事（{shift}）</translation>
        </message>
        <message>
            <source>no shift on now</source>
            <translation>当前不在班</translation>
        </message>
        <message>
            <source>the next shift</source>
            <translation>下一班次</translation>
        </message>
        <message>
            <source>you</source>
            <translation>你</translation>
        </message>
        <message>
            <source>{time} · for {who}</source>
            <translation>{time} · 提醒{who}</translation>
        </message>
    </context>
    <context>
        <name>HandoverBanner</name>
        <message>
            <source>Read and acknowledge</source>
            <translation>查看并确认</translation>
        </message>
        <message>
            <source>{author} at {time}: {todo} to do</source>
            <translation>{author} {time}：{todo} 项待办</translation>
        </message>
        <message>
            <source>{n} handover(s) waiting for you to acknowledge</source>
            <translation>有 {n} 份交接等你确认</translation>
        </message>
    </context>
    <context>
        <name>HandoverDetail</name>
        <message>
            <source>Acknowledge</source>
            <translation>确认已读</translation>
        </message>
        <message>
            <source>Acknowledged</source>
            <translation>已确认</translation>
        </message>
        <message>
            <source>Acknowledged by {names}</source>
            <translation>已确认：{names}</translation>
        </message>
        <message>
            <source>Confirm you have read this handover (who and when are kept)</source>
            <translation>确认已读这份交接（会记录确认人和时间）</translation>
        </message>
        <message>
            <source>Failed: {error}</source>
            <translation>失败：{error}</translation>
        </message>
        <message>
            <source>Nobody has acknowledged it yet</source>
            <translation>还没有人确认</translation>
        </message>
        <message>
            <source>Note on the item</source>
            <translation>事项备注</translation>
        </message>
        <message>
            <source>Pick a handover to read it</source>
            <translation>选择一份交接查看</translation>
        </message>
        <message>
            <source>Sent {time} · {n} items, {todo} to do</source>
            <translation>{time} 发送 · 共 {n} 项，{todo} 项待办</translation>
        </message>
        <message>
            <source>draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <source>{author} → {to}</source>
            <translation>{author} → {to}</translation>
        </message>
    </context>
    <context>
        <name>HandoverEditor</name>
        <message>
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <source>Open the chat, order or case of the selected item (Enter)</source>
            <translation>打开选中事项对应的会话、订单或售后单（回车）</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Add an item of your own, e.g. the courier comes at 10 tomorrow</source>
            <translation>自己添加一项，例如：快递明早 10 点来取件</translation>
        </message>
        <message>
            <source>Add what is open now (chats waiting, unpaid orders, cases, follow-ups…); your notes, choices and own items stay</source>
            <translation>加入当前未完成的事（待回复会话、未付款订单、售后、回访……）；你写的备注、勾选和自己添加的事项都会保留</translation>
        </message>
        <message>
            <source>Annotate the selected item (or double-click its note)</source>
            <translation>给选中的事项写备注（或双击备注栏）</translation>
        </message>
        <message>
            <source>Anything else the next shift should know…</source>
            <translation>其他需要交代给下一班的事……</translation>
        </message>
        <message>
            <source>Changed since saved</source>
            <translation>有未保存的修改</translation>
        </message>
        <message>
            <source>Choose who takes over: the next shift or named seats</source>
            <translation>请选择交给谁：下一班次或指定同事</translation>
        </message>
        <message>
            <source>Could not save the draft: {error}</source>
            <translation>无法保存草稿：{error}</translation>
        </message>
        <message>
            <source>Could not save the handover: {error}</source>
            <translation>无法保存交接：{error}</translation>
        </message>
        <message>
            <source>Could not send the handover: {error}</source>
            <translation>无法发送交接：{error}</translation>
        </message>
        <message>
            <source>Draft refreshed: {n} items</source>
            <translation>草稿已更新：共 {n} 项</translation>
        </message>
        <message>
            <source>Draft saved {time}</source>
            <translation>草稿已保存 {time}</translation>
        </message>
        <message>
            <source>Hand over and release</source>
            <translation>交接并释放会话</translation>
        </message>
        <message>
            <source>Hand over to</source>
            <translation>交给</translation>
        </message>
        <message>
            <source>Handover sent</source>
            <translation>交接已发送</translation>
        </message>
        <message>
            <source>Handover sent; {n} chats handed to the next shift</source>
            <translation>交接已发送；{n} 个会话已转给下一班次</translation>
        </message>
        <message>
            <source>My handover</source>
            <translation>我的交接</translation>
        </message>
        <message>
            <source>My handover · {shift}</source>
            <translation>我的交接 · {shift}</translation>
        </message>
        <message>
            <source>Named seats</source>
            <translation>指定同事</translation>
        </message>
        <message>
            <source>New draft, built from what is open</source>
            <translation>新草稿，根据当前未完成的事生成</translation>
        </message>
        <message>
            <source>Next shift: {shift}</source>
            <translation>下一班次：{shift}</translation>
        </message>
        <message>
            <source>No shift (named seats only)</source>
            <translation>不交给班次（仅指定同事）</translation>
        </message>
        <message>
            <source>Not saved yet</source>
            <translation>尚未保存</translation>
        </message>
        <message>
            <source>Note…</source>
            <translation>备注…</translation>
        </message>
        <message>
            <source>Refresh from what is open</source>
            <translation>按当前情况更新</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Save draft</source>
            <translation>保存草稿</translation>
        </message>
        <message>
            <source>Save the draft (Ctrl+S); it is also saved as you write</source>
            <translation>保存草稿（Ctrl+S）；编辑时也会自动保存</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Send and release my chats</source>
            <translation>发送并释放我的会话</translation>
        </message>
        <message>
            <source>Send the handover and hand all your open chats to the next shift's seats? Each chat carries your note.</source>
            <translation>发送交接，并把你所有进行中的会话转给下一班次的同事？每个会话都会附上你的备注。</translation>
        </message>
        <message>
            <source>Send the handover and hand every open chat of yours to the next shift's seats, with your note</source>
            <translation>发送交接，并把你进行中的会话连同备注转给下一班次的同事</translation>
        </message>
        <message>
            <source>Sign in as a seat to write a handover</source>
            <translation>以坐席身份登录后才能写交接</translation>
        </message>
        <message>
            <source>and {names}</source>
            <translation>以及 {names}</translation>
        </message>
    </context>
    <context>
        <name>HandoverExporter</name>
        <message>
            <source>Copy as Markdown</source>
            <translation>复制为 Markdown</translation>
        </message>
        <message>
            <source>Copy as plain text</source>
            <translation>复制为纯文本</translation>
        </message>
        <message>
            <source>Copy, save or print this handover</source>
            <translation>复制、保存或打印这份交接</translation>
        </message>
        <message>
            <source>Could not save the handover: {error}</source>
            <translation>无法保存交接：{error}</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Handover copied as plain text</source>
            <translation>交接已复制为纯文本</translation>
        </message>
        <message>
            <source>Handover copied: paste it into the team's group chat</source>
            <translation>交接已复制，可粘贴到团队群里</translation>
        </message>
        <message>
            <source>Handover saved to {path}</source>
            <translation>交接已保存到 {path}</translation>
        </message>
        <message>
            <source>Handover sent to the printer</source>
            <translation>交接已发送到打印机</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Print the handover</source>
            <translation>打印交接</translation>
        </message>
        <message>
            <source>Print…</source>
            <translation>打印…</translation>
        </message>
        <message>
            <source>Save as Markdown…</source>
            <translation>另存为 Markdown…</translation>
        </message>
        <message>
            <source>Save as text…</source>
            <translation>另存为文本…</translation>
        </message>
        <message>
            <source>Save the handover</source>
            <translation>保存交接</translation>
        </message>
        <message>
            <source>Text (*.txt)</source>
            <translation>文本 (*.txt)</translation>
        </message>
    </context>
    <context>
        <name>HandoverItemsTree</name>
        <message>
            <source>Back to to-do</source>
            <translation>改回待办</translation>
        </message>
        <message>
            <source>Carried over</source>
            <translation>上次延续</translation>
        </message>
        <message>
            <source>Carried over from an earlier handover</source>
            <translation>延续自之前的交接</translation>
        </message>
        <message>
            <source>Done by {seat} {time}</source>
            <translation>{seat} {time} 完成</translation>
        </message>
        <message>
            <source>Double-click to open the after-sale case</source>
            <translation>双击打开售后单</translation>
        </message>
        <message>
            <source>Double-click to open the chat</source>
            <translation>双击打开会话</translation>
        </message>
        <message>
            <source>Double-click to show the order</source>
            <translation>双击查看订单</translation>
        </message>
        <message>
            <source>Due {time}</source>
            <translation>{time} 到期</translation>
        </message>
        <message>
            <source>Edit note</source>
            <translation>编辑备注</translation>
        </message>
        <message>
            <source>Item</source>
            <translation>事项</translation>
        </message>
        <message>
            <source>Mark done</source>
            <translation>标记完成</translation>
        </message>
        <message>
            <source>Needs nothing</source>
            <translation>无需处理</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>Note…</source>
            <translation>备注…</translation>
        </message>
        <message>
            <source>Open the after-sale case</source>
            <translation>打开售后单</translation>
        </message>
        <message>
            <source>Open the chat</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Shop: {shop}</source>
            <translation>店铺：{shop}</translation>
        </message>
        <message>
            <source>Show the order</source>
            <translation>查看订单</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>{kind} ({n})</source>
            <translation>{kind}（{n}）</translation>
        </message>
        <message>
            <source>{kind} ({todo}/{n})</source>
            <translation>{kind}（{todo}/{n}）</translation>
        </message>
    </context>
    <context>
        <name>HandoverLabels</name>
        <message>
            <source>After-sale cases in progress</source>
            <translation>售后处理中</translation>
        </message>
        <message>
            <source>Buyers tagged for follow-up</source>
            <translation>待跟进买家</translation>
        </message>
        <message>
            <source>Chats waiting for a reply</source>
            <translation>待回复会话</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Follow-ups promised</source>
            <translation>回访提醒</translation>
        </message>
        <message>
            <source>Needs nothing</source>
            <translation>无需处理</translation>
        </message>
        <message>
            <source>Other matters</source>
            <translation>其他事项</translation>
        </message>
        <message>
            <source>Remarks this shift on orders not shipped</source>
            <translation>本班备注（订单未发货）</translation>
        </message>
        <message>
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <source>Unpaid orders not dunned yet</source>
            <translation>未付款订单（未催付）</translation>
        </message>
    </context>
    <context>
        <name>HandoverReminders</name>
        <message>
            <source>Promised for {time}: {note}</source>
            <translation>约定 {time}：{note}</translation>
        </message>
        <message>
            <source>Follow up: {buyer} · {shop}</source>
            <translation>回访提醒：{buyer} · {shop}</translation>
        </message>
        <message>
            <source>Promised for {time}</source>
            <translation>约定 {time}</translation>
        </message>
    </context>
    <context>
        <name>HandoverView</name>
        <message>
            <source>Team overview</source>
            <translation>团队总览</translation>
        </message>
        <message>
            <source>For me</source>
            <translation>交给我的</translation>
        </message>
        <message>
            <source>For me ({n})</source>
            <translation>交给我的（{n}）</translation>
        </message>
        <message>
            <source>History</source>
            <translation>历史</translation>
        </message>
        <message>
            <source>My handover</source>
            <translation>我的交接</translation>
        </message>
        <message>
            <source>Shifts and roster…</source>
            <translation>班次与排班…</translation>
        </message>
    </context>
    <context>
        <name>HandoversModel</name>
        <message>
            <source>Acknowledged by</source>
            <translation>确认人</translation>
        </message>
        <message>
            <source>From</source>
            <translation>交接人</translation>
        </message>
        <message>
            <source>Not acknowledged</source>
            <translation>未确认</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>逾期</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>发送时间</translation>
        </message>
        <message>
            <source>To</source>
            <translation>交给</translation>
        </message>
        <message>
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <source>{todo} of {n}</source>
            <translation>{todo}/{n}</translation>
        </message>
    </context>
    <context>
        <name>HistoryPane</name>
        <message>
            <source>Everyone</source>
            <translation>所有人</translation>
        </message>
        <message>
            <source>Last {n} days</source>
            <translation>近 {n} 天</translation>
        </message>
        <message>
            <source>No handover in this period.</source>
            <translation>这段时间没有交接。</translation>
        </message>
        <message>
            <source>No handover matches the filter.</source>
            <translation>没有符合条件的交接。</translation>
        </message>
        <message>
            <source>Search the text, items and notes</source>
            <translation>搜索交接内容、事项和备注</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>With to-do items only</source>
            <translation>只看有待办的</translation>
        </message>
        <message>
            <source>{n} handovers · {unacked} not acknowledged · {overdue} items overdue · {late} follow-ups past due</source>
            <translation>{n} 份交接 · {unacked} 份未确认 · {overdue} 项逾期 · {late} 个回访已过期</translation>
        </message>
    </context>
    <context>
        <name>IncomingPane</name>
        <message>
            <source>No handover is waiting for you. Handovers addressed to your shift or to you by name show here.</source>
            <translation>没有等你处理的交接。交给你所在班次或指名交给你的交接会显示在这里。</translation>
        </message>
        <message>
            <source>acknowledged</source>
            <translation>已确认</translation>
        </message>
        <message>
            <source>not acknowledged</source>
            <translation>未确认</translation>
        </message>
        <message>
            <source>{who} · {time}
{todo} to do · {state}</source>
            <translation>{who} · {time}
{todo} 项待办 · {state}</translation>
        </message>
    </context>
    <context>
        <name>ShiftEndBar</name>
        <message>
            <source>Hand over and release my chats</source>
            <translation>交接并释放我的会话</translation>
        </message>
        <message>
            <source>Hand over what is still open, so the next shift can pick it up.</source>
            <translation>把还没处理完的事交接出去，下一班才能接着做。</translation>
        </message>
        <message>
            <source>Later</source>
            <translation>稍后</translation>
        </message>
        <message>
            <source>Write handover</source>
            <translation>写交接</translation>
        </message>
        <message>
            <source>{shift} ends at {time}, in {n} min</source>
            <translation>{shift} {time} 下班，还有 {n} 分钟</translation>
        </message>
    </context>
    <context>
        <name>ShiftLabels</name>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>Every day</source>
            <translation>每天</translation>
        </message>
        <message>
            <source>Fri</source>
            <translation>五</translation>
        </message>
        <message>
            <source>Mon</source>
            <translation>一</translation>
        </message>
        <message>
            <source>No days</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Sat</source>
            <translation>六</translation>
        </message>
        <message>
            <source>Sun</source>
            <translation>日</translation>
        </message>
        <message>
            <source>Thu</source>
            <translation>四</translation>
        </message>
        <message>
            <source>Tue</source>
            <translation>二</translation>
        </message>
        <message>
            <source>Wed</source>
            <translation>三</translation>
        </message>
        <message>
            <source>{start}–next day {end}</source>
            <translation>{start}–次日 {end}</translation>
        </message>
    </context>
    <context>
        <name>ShiftsDialog</name>
        <message>
            <source>Only a lead can change shifts and the roster.</source>
            <translation>只有组长可以修改班次和排班。</translation>
        </message>
        <message>
            <source>Team handover settings</source>
            <translation>团队交接设置</translation>
        </message>
        <message>
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <source> h</source>
            <translation> 小时</translation>
        </message>
        <message>
            <source>Save settings</source>
            <translation>保存设置</translation>
        </message>
        <message>
            <source>Remind before a shift ends</source>
            <translation>下班前提醒</translation>
        </message>
        <message>
            <source>To-do items overdue after</source>
            <translation>待办逾期时间</translation>
        </message>
        <message>
            <source>Follow-up tag</source>
            <translation>待跟进标签</translation>
        </message>
        <message>
            <source>Shift times in</source>
            <translation>班次时区</translation>
        </message>
        <message>
            <source>Buyers with this tag go into the handover draft</source>
            <translation>打了这个标签的买家会进入交接草稿</translation>
        </message>
        <message>
            <source>Could not save the settings: {error}</source>
            <translation>无法保存设置：{error}</translation>
        </message>
        <message>
            <source>Saved: every seat uses them from now on</source>
            <translation>已保存：所有坐席即刻按新设置执行</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Could not delete the shift: {error}</source>
            <translation>无法删除班次：{error}</translation>
        </message>
        <message>
            <source>Could not save the shift: {error}</source>
            <translation>无法保存班次：{error}</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>星期</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete shift</source>
            <translation>删除班次</translation>
        </message>
        <message>
            <source>Delete the shift {name}? Handovers already written keep their text.</source>
            <translation>删除班次“{name}”？已写的交接内容会保留。</translation>
        </message>
        <message>
            <source>Give the shift a name</source>
            <translation>请给班次起个名字</translation>
        </message>
        <message>
            <source>Handovers go to the next shift's seats; each seat is reminded before its shift ends. Shifts may overlap, and a shift may end after midnight.</source>
            <translation>交接会交给下一班次的同事；每位同事下班前都会收到提醒。班次可以重叠，也可以跨过午夜。</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>New shift</source>
            <translation>新建班次</translation>
        </message>
        <message>
            <source>Pick the days the shift runs</source>
            <translation>请选择这个班次在星期几上班</translation>
        </message>
        <message>
            <source>Save shift</source>
            <translation>保存班次</translation>
        </message>
        <message>
            <source>Seats on it</source>
            <translation>排班同事</translation>
        </message>
        <message>
            <source>Shift saved</source>
            <translation>班次已保存</translation>
        </message>
        <message>
            <source>Shifts and roster</source>
            <translation>班次与排班</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>e.g. Early shift</source>
            <translation>例如：早班</translation>
        </message>
        <message>
            <source>ends the next day</source>
            <translation>次日下班</translation>
        </message>
        <message>
            <source>nobody on the roster</source>
            <translation>还没有排人</translation>
        </message>
    </context>
    <context>
        <name>WebhooksDialog</name>
        <message>
            <source>{platform} · every shop of one app</source>
            <translation>{platform} · 同一应用的所有店铺</translation>
        </message>
        <message>
            <source>Webhook receiver</source>
            <translation>Webhook 接收</translation>
        </message>
        <message>
            <source>Webhook URLs of your shops</source>
            <translation>各店铺的 Webhook 地址</translation>
        </message>
        <message>
            <source>Shopify, WooCommerce and 抖店 push order changes by calling a public web address. SeatDesk receives them on a local port; put it behind an HTTPS address you own (a reverse proxy or a tunnel) and register each shop&apos;s URL below with its platform. Without it these shops are polled, which is slower but loses nothing.</source>
            <translation>Shopify、WooCommerce 和抖店通过调用一个公网地址推送订单变化。SeatDesk 在本机端口接收；请把它放在您自己的 HTTPS 地址后面（反向代理或内网穿透），并把下面每个店铺的地址登记到对应平台。不设置时这些店铺按轮询同步：慢一些，但不会丢数据。</translation>
        </message>
        <message>
            <source>Receiving: {where}</source>
            <translation>正在接收：{where}</translation>
        </message>
        <message>
            <source>Public address</source>
            <translation>公网地址</translation>
        </message>
        <message>
            <source>Off: webhook shops are polled.</source>
            <translation>未开启：这些店铺按轮询同步。</translation>
        </message>
        <message>
            <source>Not receiving: {problem}</source>
            <translation>未在接收：{problem}</translation>
        </message>
        <message>
            <source>No shop of a webhook platform yet.</source>
            <translation>还没有使用 Webhook 推送的平台店铺。</translation>
        </message>
        <message>
            <source>Listen on</source>
            <translation>本机监听地址</translation>
        </message>
        <message>
            <source>Copy URL</source>
            <translation>复制地址</translation>
        </message>
        <message>
            <source>Changes take effect the next time SeatDesk starts.</source>
            <translation>修改在下次启动 SeatDesk 后生效。</translation>
        </message>
        <message>
            <source>(set the public address first)</source>
            <translation>（请先填写公网地址）</translation>
        </message>
    </context>
    <context>
        <name>KeyHints</name>
        <message>
            <source>no key</source>
            <translation>未设快捷键</translation>
        </message>
    </context>
</TS>
