"""The public portal: the home page, the search and each unit's public page, at the site's root."""

from core.capabilities import Capability, Urls, register

register(Capability(name="portal", urls=(Urls("portal.urls", ""),)))
