"""JD (京东宙斯 JOS) adapter: orders, seller remark + flag, chat-log history, OAuth, and a local fake."""
