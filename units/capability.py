"""The units tree and the steering committees: staff pages, the units API, the demo's real units."""

from django.utils.translation import gettext_lazy as _

from core.capabilities import Api, Capability, Demo, Generator, NavItem, Urls, register

register(
    Capability(
        name="units",
        urls=(Urls("units.urls", "staff/"),),
        api=(Api("units.api.router", "/"),),
        demo=Demo(load="units.demo.load"),
        generator=Generator(run="units.generate.run"),
        navigation=(
            NavItem(_("Đơn vị"), "units:unit_list", order=100, group=None),
            NavItem(_("Ban Chỉ đạo"), "units:committee_list", order=110, group=None),
        ),
    )
)
