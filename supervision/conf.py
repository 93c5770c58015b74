"""Defaults of the Law on Grassroots Democracy (Law 10/2022/QH15, arts. 30–45; DOMAIN.md, "Inspect and
supervise"). Each cites where it comes from; the answer clock is an environment setting."""

from __future__ import annotations

from core.knobs import read_from_settings

# People's Inspection Board (Ban thanh tra nhân dân): one member per village or residential group,
# at least 5 members, one head and at most 2 deputies (DOMAIN.md).
BOARD_MIN_MEMBERS = 5
BOARD_MEMBERS_PER_VILLAGE = 1
BOARD_HEADS = 1
BOARD_MAX_DEPUTIES = 2
# A board's term follows the Fatherland Front committee's term at the commune (5 years).
BOARD_TERM_YEARS = 5
# Community Investment Supervision Board: one per programme or project, at least 5 members; the
# supervision plan is notified at least 45 days before supervision starts (DOMAIN.md).
INVESTMENT_BOARD_MIN_MEMBERS = 5
INVESTMENT_PLAN_NOTICE_DAYS = 45
# Dialogue conferences: at least one a year between the commune and its people; every village holds
# an annual conference at year end, notified at least 5 days before (DOMAIN.md).
DIALOGUES_PER_YEAR = 1
VILLAGE_CONFERENCE_NOTICE_DAYS = 5
# The board reports to the Fatherland Front committee every quarter (DOMAIN.md).
REPORTS_PER_YEAR = 4

# The commune answers a recommendation within this many calendar days (DOMAIN.md: "within 15 days";
# the Law counts calendar days), and is reminded this many days before (environment settings,
# grassroots/settings.py and README, read when used).
ANSWER_DAYS: int
REMINDER_DAYS_BEFORE: int
# The reporting unit is reminded this many working days before its periodic report falls due.
REPORT_REMINDER_WORKING_DAYS: int

FROM_SETTINGS = {
    "ANSWER_DAYS": "SUPERVISION_ANSWER_DAYS",
    "REMINDER_DAYS_BEFORE": "SUPERVISION_REMINDER_DAYS_BEFORE",
    "REPORT_REMINDER_WORKING_DAYS": "SUPERVISION_REPORT_REMINDER_WORKING_DAYS",
}
__getattr__ = read_from_settings(__name__, FROM_SETTINGS)


# The default periodic results report the province starts from (it edits and versions it as rows,
# services.seed_default_form): what the province's current system collects from communes
# (DOMAIN.md, "The province's system also collects periodic results"), six-monthly, due 10 working
# days after the period ends. Each indicator: (code, label, kind, core.metrics key or "" when the
# commune fills it by hand); a rate (its label ends in "(%)") is averaged when totalled, the rest add up.
DEFAULT_FORM_CODE = "ket-qua-dan-chu-co-so"
DEFAULT_FORM_TITLE = "Báo cáo kết quả thực hiện dân chủ ở cơ sở"
DEFAULT_FORM_DUE_WORKING_DAYS = 10
# Not the law's: a bound that catches a typing slip on the form editor (a quarter of working days).
FORM_MAX_DUE_WORKING_DAYS = 60
DEFAULT_FORM: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (
        "I. Công khai thông tin",
        [
            ("disclosures", "Số nội dung đã công khai", "number", ""),
            ("disclosure_on_time", "Tỷ lệ nội dung công khai đúng hạn (%)", "number", "disclosure.on_time_rate"),
            ("disclosure_proven", "Tỷ lệ nội dung công khai có bằng chứng niêm yết (%)", "number", "disclosure.proven_rate"),
        ],
    ),
    (
        "II. Nhân dân bàn và quyết định",
        [
            ("village_meetings", "Số cuộc họp thôn, tổ dân phố", "number", ""),
            ("direct_decisions", "Số nội dung Nhân dân bàn, quyết định trực tiếp", "number", ""),
            ("votes", "Số nội dung Nhân dân biểu quyết để cấp có thẩm quyền quyết định", "number", ""),
        ],
    ),
    (
        "III. Nhân dân tham gia ý kiến",
        [
            ("consultations", "Số cuộc lấy ý kiến Nhân dân về dự thảo", "number", "participation.consultations_held"),
            ("opinions", "Số ý kiến Nhân dân nhận được", "number", "participation.opinions_received"),
        ],
    ),
    (
        "IV. Nhân dân kiểm tra, giám sát",
        [
            ("supervision_activities", "Số cuộc giám sát của Nhân dân", "number", ""),
            ("board_recommendations", "Số kiến nghị của Ban TTND, Ban GSĐTCĐ", "number", "supervision.recommendations_sent"),
            (
                "board_answers_on_time",
                "Tỷ lệ kiến nghị được trả lời đúng hạn (%)",
                "number",
                "supervision.recommendations_answered_on_time",
            ),
        ],
    ),
    (
        "V. Huy động nguồn lực, cải cách hành chính, tiếp nhận phản ánh",
        [
            ("funds_raised", "Số tiền Nhân dân đóng góp xây dựng kết cấu hạ tầng (triệu đồng)", "number", ""),
            ("one_stop_satisfaction", "Tỷ lệ hài lòng tại bộ phận một cửa (%)", "number", "feedback.counter_satisfaction"),
            ("complaints", "Số đơn khiếu nại, tố cáo đã tiếp nhận", "number", ""),
            ("feedback_on_time", "Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn (%)", "number", "feedback.on_time_rate"),
            ("assessment", "Đánh giá chung, khó khăn, vướng mắc và kiến nghị", "text", ""),
        ],
    ),
]
