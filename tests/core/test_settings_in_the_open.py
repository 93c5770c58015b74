"""Every knob is in the open: no module reads a setting with a silent default (each one is defined in
grassroots/settings.py from the environment and listed in the README table), and the apps read them
when used, so the `settings` fixture (or a changed environment) reaches them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from certification import conf as certification_conf
from feedback import conf as feedback_conf
from feedback import throttle
from supervision import conf as supervision_conf
from surveys import conf as surveys_conf
from surveys import forms as survey_forms

ROOT = Path(django_settings.BASE_DIR)
SOURCES = [p for p in ROOT.rglob("*.py") if not {".venv", "tests", "var", "node_modules"} & set(p.relative_to(ROOT).parts)]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_setting_is_read_with_a_silent_default():
    hidden = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in SOURCES
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"getattr\(\s*settings\s*,\s*[\"'][A-Z_]+[\"']\s*,", line)
    ]
    assert hidden == []


def _conf_settings() -> set[str]:
    names: set[str] = set()
    for module in (certification_conf, feedback_conf, surveys_conf, supervision_conf):
        names |= set(module.FROM_SETTINGS.values())
    return names


def test_every_knob_the_apps_read_is_defined_in_settings_and_listed_in_the_readme():
    names = _conf_settings() | {"SURVEYS_SMS_BACKEND", "TRUSTED_PROXIES", "SITE_URL"}
    settings_py = (ROOT / "grassroots" / "settings.py").read_text(encoding="utf-8")
    for name in sorted(names):
        assert re.search(rf'^{name} = .*os\.environ|^{name} = .*env_(list|bool)\("{name}"', settings_py, re.M) or (
            f'"{name}"' in settings_py
        ), f"{name} is not read from the environment in grassroots/settings.py"
        assert f"`{name}`" in README, f"{name} is not in the README's settings table"


@pytest.mark.parametrize(
    ("module", "attribute", "setting", "value"),
    [
        (certification_conf, "REMINDER_DAYS_BEFORE", "CERTIFICATION_REMINDER_DAYS_BEFORE", (5,)),
        (certification_conf, "FLAG_BELOW", "CERTIFICATION_FLAG_BELOW", 42.0),
        (feedback_conf, "REOPEN_DAYS", "FEEDBACK_REOPEN_DAYS", 9),
        (feedback_conf, "ROUTED_AWAY_MIN_CASES", "FEEDBACK_ROUTED_AWAY_MIN_CASES", 11),
        (feedback_conf, "MAX_ATTACHMENT_BYTES", "FEEDBACK_MAX_ATTACHMENT_BYTES", 1234),
        (surveys_conf, "SATISFIED_FROM", "SURVEYS_SATISFIED_FROM", 5),
        (supervision_conf, "ANSWER_DAYS", "SUPERVISION_ANSWER_DAYS", 20),
        (surveys_conf, "XLSFORM_MAX_ROWS", "SURVEYS_XLSFORM_MAX_ROWS", 12),
    ],
)
def test_a_knob_is_read_when_used(settings, module, attribute, setting, value):
    settings.__setattr__(setting, value)
    assert getattr(module, attribute) == value


def test_the_rate_limits_follow_the_settings_of_the_moment(settings):
    settings.FEEDBACK_SUBMIT_BURST = 3
    settings.FEEDBACK_SUBMIT_PER_HOUR = 7.0
    rate = throttle.submit_rate()
    assert (rate.burst, rate.per_hour) == (3, 7.0)


@pytest.mark.django_db
def test_the_campaign_form_proposes_the_minimum_responses_of_the_moment(settings):
    settings.SURVEYS_MIN_RESPONSES = 17
    assert survey_forms.CampaignForm()["min_responses"].initial == 17
