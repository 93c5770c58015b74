import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from steering.deadlines import resolve


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("quý I/2024", dt.date(2024, 3, 31)),
        ("Quý IV/2024", dt.date(2024, 12, 31)),
        ("xong chậm nhất Quý IV/2024", dt.date(2024, 12, 31)),
        ("trong quý I, II/2024", dt.date(2024, 6, 30)),
        ("trước quý IV/2024", dt.date(2024, 9, 30)),
        ("quý 3 năm 2025", dt.date(2025, 9, 30)),
        ("6 tháng đầu năm 2024", dt.date(2024, 6, 30)),
        ("6 tháng cuối năm 2024", dt.date(2024, 12, 31)),
        ("tháng 2/2024", dt.date(2024, 2, 29)),
        ("năm 2024", dt.date(2024, 12, 31)),
        ("15/3/2024", dt.date(2024, 3, 15)),
    ],
)
def test_deadline_as_written_resolves_to_a_date(text: str, due: dt.date) -> None:
    assert resolve(text) == due


@pytest.mark.parametrize("text", ["sớm", "31/2/2024", "tháng 13/2024", ""])
def test_a_deadline_naming_no_period_is_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(ValidationError, match="Không hiểu thời hạn"):
        resolve(text)
