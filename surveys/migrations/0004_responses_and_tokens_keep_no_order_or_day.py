"""Responses get a random UUID primary key instead of an autoincrement id (which followed the order
of arrival) and lose their submission day; tokens keep only whether they were used, not the day.

Irreversible on purpose: the days and the arrival order are what the migration destroys, and
there is nothing to rebuild them from."""

import uuid

from django.db import migrations, models


def give_random_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Response = apps.get_model("surveys", "Response")
    for pk in Response.objects.values_list("pk", flat=True):
        Response.objects.filter(pk=pk).update(uid=uuid.uuid4())


def mark_used_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    Token = apps.get_model("surveys", "Token")
    Token.objects.filter(used_on__isnull=False).update(used=True)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_knownmargin")]

    operations = [
        migrations.AddField(model_name="token", name="used", field=models.BooleanField(default=False)),
        migrations.RunPython(mark_used_tokens),
        migrations.RemoveField(model_name="token", name="used_on"),
        migrations.AlterModelOptions(
            name="response", options={"ordering": ["id"], "verbose_name": "phiếu trả lời", "verbose_name_plural": "phiếu trả lời"}
        ),
        migrations.AddField(model_name="response", name="uid", field=models.UUIDField(null=True)),
        migrations.RunPython(give_random_ids),
        migrations.RemoveField(model_name="response", name="submitted_on"),
        migrations.RemoveField(model_name="response", name="id"),
        migrations.RenameField(model_name="response", old_name="uid", new_name="id"),
        migrations.AlterField(
            model_name="response",
            name="id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
        ),
    ]
