"""Intake edges: a public id separate from the secret tracking code, the content hash an
idempotent retry must match, and the location a client describes in words (Open311 address_string).
Existing cases get a fresh random public id; reversing drops the columns."""

from django.db import migrations, models

import feedback.models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("feedback", "Case")
    taken: set[str] = set()
    for case in Case.objects.only("pk").iterator():
        public_id = feedback.models.new_public_id()
        while public_id in taken:
            public_id = feedback.models.new_public_id()
        taken.add(public_id)
        Case.objects.filter(pk=case.pk).update(public_id=public_id)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_publication_moderated_texts_internal_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="location_text",
            field=models.CharField(blank=True, max_length=500, verbose_name="địa điểm (người phản ánh ghi)"),
        ),
        migrations.AddField(
            model_name="case",
            name="idempotency_payload_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="case",
            name="public_id",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="public_id",
            field=models.CharField(default=feedback.models.new_public_id, editable=False, max_length=20, unique=True),
        ),
    ]
