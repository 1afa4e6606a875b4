from flags import client

# Was: client.is_enabled("old-search"). Removed in 2.3.
def run():
    return client.is_enabled("promo-banner-v2")
