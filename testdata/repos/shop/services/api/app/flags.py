"""Feature flags, read from the flags file mounted at FLAGS_FILE (config/feature-flags.yaml)."""

import os

import yaml

FLAGS_FILE = os.getenv("FLAGS_FILE", "/etc/shop/feature-flags.yaml")

ONE_PAGE_CHECKOUT = "one-page-checkout"
EXPRESS_SHIPPING = "express-shipping"
SEARCH_V2 = "search-v2"
SEARCH_KILL_SWITCH = "search-kill-switch"


def enabled(key, environment):
    with open(FLAGS_FILE, encoding="utf-8") as file:
        flags = yaml.safe_load(file)["flags"]
    setting = flags.get(key, {}).get("environments", {}).get(environment, False)
    return setting if isinstance(setting, bool) else setting.get("enabled", False)


def search_v2(environment):
    return enabled(SEARCH_V2, environment) and not enabled(SEARCH_KILL_SWITCH, environment)
