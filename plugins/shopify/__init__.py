"""Shopify (Admin GraphQL API) adapter: order feed, order notes, customer tags, OAuth."""
