"""What a notice-board photo proves: when and where it was taken (the photo's EXIF data, or the
phone's location sent by the page when the photo was taken), checked against the commune's location
and the posting's dates. A photo that cannot be placed in time or space is kept, marked unproven,
with the reason."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 36867
_DATETIME = 306
_EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class PhotoFacts:
    taken_at: dt.datetime | None
    latitude: float | None
    longitude: float | None


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1]) if value[1] else math.nan
    return float(value)


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_rational(v) for v in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if not math.isfinite(value):
        return None
    if str(ref).upper().startswith(("S", "W")):
        value = -value
    return value


def read_exif(fileobj: IO[bytes]) -> PhotoFacts:
    """The capture time (read as Vietnam local time, as phones write it) and GPS position of a
    JPEG or PNG; None for what the file does not carry or carries unreadably."""
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError):
        fileobj.seek(0)
        return PhotoFacts(None, None, None)
    fileobj.seek(0)
    taken_at = None
    raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if isinstance(raw, str):
        try:
            taken_at = timezone.make_aware(dt.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S"))  # noqa: DTZ007
        except ValueError:
            taken_at = None
    gps = exif.get_ifd(_GPS_IFD)
    latitude = _degrees(gps.get(2), gps.get(1, "N")) if gps.get(2) else None
    longitude = _degrees(gps.get(4), gps.get(3, "E")) if gps.get(4) else None
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        latitude = longitude = None
    return PhotoFacts(taken_at, latitude, longitude)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Assessment:
    taken_at: dt.datetime | None
    time_source: str
    latitude: float | None
    longitude: float | None
    location_source: str
    distance_m: int | None
    reasons: tuple[str, ...]

    @property
    def proven(self) -> bool:
        return not self.reasons


def assess(
    facts: PhotoFacts,
    *,
    browser_position: tuple[float, float] | None,
    received_at: dt.datetime,
    commune_position: tuple[float, float] | None,
    earliest: dt.date,
    max_distance_m: int,
) -> Assessment:
    """Place the photo in time and space and say why it does not prove the posting, if it does not.

    Time: the photo's own capture time; without one, the moment it reached the server when the page
    sent the phone's position with it (a photo taken from the page, not picked from the gallery).
    Place: the photo's GPS tags, else the phone's position. The time must fall between `earliest`
    (the posting's start) and now; the place within `max_distance_m` of the commune's location."""
    reasons: list[str] = []
    if facts.taken_at is not None:
        taken_at, time_source = facts.taken_at, "exif"
    elif browser_position is not None:
        taken_at, time_source = received_at, "browser"
    else:
        taken_at, time_source = None, ""
        reasons.append(_("Ảnh không có thời điểm chụp và không gửi kèm vị trí của điện thoại."))
    if facts.latitude is not None and facts.longitude is not None:
        position: tuple[float, float] | None = (facts.latitude, facts.longitude)
        location_source = "exif"
    elif browser_position is not None:
        position, location_source = browser_position, "browser"
    else:
        position, location_source = None, ""
        reasons.append(_("Ảnh không có vị trí chụp (hãy bật định vị khi chụp)."))
    if taken_at is not None:
        day = timezone.localtime(taken_at).date()
        if day < earliest:
            reasons.append(
                _("Ảnh chụp ngày %(day)s, trước ngày bắt đầu niêm yết %(start)s.")
                % {"day": f"{day:%d/%m/%Y}", "start": f"{earliest:%d/%m/%Y}"}
            )
        elif taken_at > received_at + dt.timedelta(minutes=10):
            reasons.append(_("Thời điểm chụp ghi trong ảnh (%(day)s) ở tương lai.") % {"day": f"{day:%d/%m/%Y}"})
    distance: int | None = None
    if position is not None:
        if commune_position is None:
            reasons.append(_("Xã chưa có toạ độ trụ sở để đối chiếu vị trí chụp."))
        else:
            distance = round(distance_m(*position, *commune_position))
            if distance > max_distance_m:
                reasons.append(
                    _("Ảnh chụp cách trụ sở xã %(km).1f km, xa hơn mức cho phép %(max).1f km.")
                    % {"km": distance / 1000, "max": max_distance_m / 1000}
                )
    return Assessment(
        taken_at=taken_at,
        time_source=time_source,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        location_source=location_source,
        distance_m=distance,
        reasons=tuple(reasons),
    )
