"""The product's settings with the bench's URLconf (bench/loadsite/urls.py): the minimal DRF
endpoint of the load benchmark is served by the same server process as the product, and never
by the product's own URLs."""

from sleutelnet.conf.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLconf

ROOT_URLCONF = "loadsite.urls"
