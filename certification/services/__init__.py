"""Every write of the certification capability, by stage. Each service: keyword-only arguments, the
acting user explicit, one transaction, the permission check, an audit entry (scores with
before/after) and an outbox message to whoever acts next. A file only moves through
`Registration.check_move` (core.transitions). The pass/star rule is in certification.scoring.

The stages: criteria sets (criteria.py), campaigns (campaigns.py), a commune's registration and
dossier (registration.py), its self-assessment (self_assessment.py), appraisal at either level
(appraisal.py), the district's step (district.py), the province's step and decision
(province.py), the province's check sample (checks.py), deadline reminders (reminders.py), the texts of the decision
documents (document_templates.py). Callers import from `certification.services`."""

from certification.scoring import Result, computed_score, evaluate, metric_period
from certification.services._shared import REQUIRED_DOCUMENTS
from certification.services.appraisal import (
    agree_team_score,
    declare_interest,
    member_score_table,
    record_site_visit,
    save_appraisal_scores,
    set_team,
)
from certification.services.campaigns import create_campaign
from certification.services.checks import (
    complete_province_check,
    decision_block,
    draw_sample,
    refresh_citizen_figures,
    refresh_figures_of_open_campaigns,
)
from certification.services.criteria import (
    CriterionSpec,
    GroupSpec,
    SetSpec,
    copy_template,
    create_criteria_set,
    delete_draft_criteria_set,
    publish_criteria_set,
    replace_draft_content,
    revise_criteria_set,
    spec_codes,
    spec_of,
    star_band_problems,
)
from certification.services.district import district_decline, district_propose, district_return, forward_district
from certification.services.document_templates import save_document_template
from certification.services.entries import AnyEntry, ScoreEntry, SelfScoreEntry
from certification.services.province import (
    decision_preview,
    final_scores,
    is_decided,
    province_send_back,
    recognise,
    refuse,
    reopen,
    revoke,
)
from certification.services.registration import (
    attach_evidence,
    district_of,
    eligibility_problems,
    register,
    upload_document,
    withdraw_document,
)
from certification.services.reminders import send_deadline_reminders
from certification.services.self_assessment import save_self_scores, submission_problems, submit_self_assessment

__all__ = [
    "REQUIRED_DOCUMENTS",
    "AnyEntry",
    "CriterionSpec",
    "GroupSpec",
    "Result",
    "ScoreEntry",
    "SelfScoreEntry",
    "SetSpec",
    "agree_team_score",
    "attach_evidence",
    "complete_province_check",
    "computed_score",
    "copy_template",
    "create_campaign",
    "create_criteria_set",
    "decision_block",
    "decision_preview",
    "declare_interest",
    "delete_draft_criteria_set",
    "district_decline",
    "district_of",
    "district_propose",
    "district_return",
    "draw_sample",
    "eligibility_problems",
    "evaluate",
    "final_scores",
    "forward_district",
    "is_decided",
    "member_score_table",
    "metric_period",
    "province_send_back",
    "publish_criteria_set",
    "recognise",
    "record_site_visit",
    "refresh_citizen_figures",
    "refresh_figures_of_open_campaigns",
    "refuse",
    "register",
    "reopen",
    "replace_draft_content",
    "revise_criteria_set",
    "revoke",
    "save_appraisal_scores",
    "save_document_template",
    "save_self_scores",
    "send_deadline_reminders",
    "set_team",
    "spec_codes",
    "spec_of",
    "star_band_problems",
    "submission_problems",
    "submit_self_assessment",
    "upload_document",
    "withdraw_document",
]
