"""Numbers the law sets for disclosure (công khai), each with its source. They seed the first
version of the obligations (`ObligationSet`), which the province then edits as data; services read
the rows, never these constants, once the rows exist."""

from __future__ import annotations

from core.knobs import read_from_settings

LAW = "Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15"

# Art. 12: disclose within 5 working days of the decision or document, unless a sector law says otherwise.
DEFAULT_DEADLINE_WORKING_DAYS = 5
DEADLINE_SOURCE = f"{LAW}, Điều 12"
# Art. 11–12: notice-board postings last at least 30 consecutive days; the democracy regulation
# (category 4) and the administrative procedures (category 13) stay posted permanently.
DEFAULT_POSTING_DAYS = 30
# Categories 7–12 are also read on the loudspeakers for at least 3 consecutive days.
DEFAULT_LOUDSPEAKER_DAYS = 3
POSTING_SOURCE = f"{LAW}, Điều 12"

# The 14 categories of art. 11 (DOMAIN.md, "Disclosure"): number → title.
CATEGORIES: dict[int, str] = {
    1: "Kế hoạch phát triển kinh tế - xã hội và kết quả thực hiện",
    2: "Dự toán, tình hình thực hiện, quyết toán ngân sách (quý, 6 tháng, năm)",
    3: "Dự án đầu tư, phương án thu hồi đất, bồi thường, tái định cư; đất do xã quản lý; quy hoạch",
    4: "Quy chế dân chủ ở cơ sở, nhiệm vụ của cán bộ, công chức, quy tắc ứng xử",
    5: "Kinh phí chương trình, quỹ và khoản đóng góp của Nhân dân",
    6: "Quản lý, sử dụng tài sản công",
    7: "Chính sách an sinh xã hội, đối tượng thụ hưởng và việc bình xét",
    8: "Cứu trợ thiên tai, dịch bệnh và tiền, hàng ủng hộ",
    9: "Chỉ tiêu, danh sách gọi công dân nhập ngũ, thực hiện nghĩa vụ công an",
    10: "Kết quả thanh tra, xử lý tham nhũng, kỷ luật; kết quả lấy phiếu tín nhiệm",
    11: "Nội dung lấy ý kiến Nhân dân và kết quả tiếp thu",
    12: "Phí, lệ phí xã thu",
    13: "Thủ tục hành chính xã giải quyết",
    14: "Nội dung khác theo quy định của pháp luật",
}
PERMANENT_CATEGORIES = frozenset({4, 13})
LOUDSPEAKER_CATEGORIES = frozenset({7, 8, 9, 10, 11, 12})
# Posted at the commune office and the village culture houses (art. 12); the others at the office.
VILLAGE_CATEGORIES = frozenset({1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12})
# "Missing this year" counts the categories a commune has something to disclose every year
# (the plan and its results, the budget, the procedures); the others depend on events.
YEARLY_CATEGORIES = frozenset({1, 2, 13})

# Environment settings (grassroots/settings.py, README), read when used (see the __getattr__ below).
PHOTO_MAX_DISTANCE_METRES: int
PHOTO_MAX_BYTES: int
REMINDER_WORKING_DAYS: int
POSTING_END_REMINDER_DAYS: int

FROM_SETTINGS = {
    "PHOTO_MAX_DISTANCE_METRES": "DISCLOSURE_PHOTO_MAX_DISTANCE_METRES",
    "PHOTO_MAX_BYTES": "DISCLOSURE_PHOTO_MAX_BYTES",
    "REMINDER_WORKING_DAYS": "DISCLOSURE_REMINDER_WORKING_DAYS",
    "POSTING_END_REMINDER_DAYS": "DISCLOSURE_POSTING_END_REMINDER_DAYS",
}

# Files a commune uploads: the document and the proof photos (content-checked, core.uploads).
DOCUMENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]
PHOTO_TYPES = ["image/jpeg", "image/png"]

__getattr__ = read_from_settings(__name__, FROM_SETTINGS)
