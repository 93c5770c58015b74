"""What may be published about a case, and the personal data that blocks publication until a
moderator removes it. The publish service, its form and API, and the demo loader all use these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import personal_data_found
from feedback import crypto
from feedback.models import Case, Kind

MIN_PUBLIC_TEXT = 10


def check_publishable(case: Case, *, summary: str, answer: str, confirm_about_officials: bool = False) -> None:
    """Raise a ValidationError (Vietnamese, per field) unless the moderated summary and answer may
    be published for this case:

    - the reporter agreed to publication;
    - the case is feedback (kiến nghị, phản ánh). Complaints and denunciations are never published
      here: their conclusions are made public by the resolving authority under their own laws
      (Law on Complaints 2011, art. 12; Law on Denunciations 2018, art. 40), not on this portal;
    - a case about officials is published only when the moderator confirms it was verified and the
      text names no one (unverified allegations are not published by default);
    - both texts were written by the moderator (at least MIN_PUBLIC_TEXT characters) and contain no
      phone number, e-mail address, ID number or the reporter's name."""
    if not case.allow_publication:
        raise ValidationError(_("Người phản ánh không đồng ý công khai."))
    if case.kind != Kind.FEEDBACK:
        raise ValidationError(
            _("Khiếu nại, tố cáo không được công khai trên cổng phản ánh; kết luận do cơ quan giải quyết công khai theo luật.")
        )
    if case.concerns_officials and not confirm_about_officials:
        raise ValidationError(
            {
                "confirm_about_officials": _(
                    "Phản ánh về cán bộ chỉ được công khai khi đã xác minh và nội dung không nêu tên cán bộ: đánh dấu xác nhận."
                )
            }
        )
    contact: dict[str, Any] = (crypto.decrypt(case.contact_encrypted) or {}) if case.contact_encrypted else {}
    name = str(contact.get("name", ""))
    errors: dict[str, list[str]] = {}
    for field, text, empty in (
        ("public_summary", summary, _("Nhập nội dung công khai (tóm tắt phản ánh đã lược bỏ thông tin cá nhân).")),
        ("public_answer", answer, _("Nhập nội dung trả lời công khai (đã lược bỏ thông tin cá nhân).")),
    ):
        if len(text.strip()) < MIN_PUBLIC_TEXT:
            errors[field] = [empty]
            continue
        found = personal_data_found(text, reporter_name=name)
        if found:
            errors[field] = [_("Còn thông tin cá nhân: %(f)s. Hãy xoá trước khi công khai.") % {"f": "; ".join(found)}]
    if errors:
        raise ValidationError(errors)
