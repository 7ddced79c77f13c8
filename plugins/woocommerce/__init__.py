"""WooCommerce REST API v3 adapter (orders and private order notes) with a loopback fake."""
