"""Douyin Doudian (抖店开放平台) adapter: orders, seller remarks with stars, OAuth tokens."""
