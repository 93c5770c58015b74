import datetime

from django.conf import settings
from django.db import migrations, models


def expire_existing_tokens(apps, schema_editor):
    """Tokens issued before expiry existed get the default lifetime from their creation; those already
    past it stop working at once."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + lifetime
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True, verbose_name="hết hạn lúc")),
        # Reversing only drops the column again, so nothing is left to undo here.
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField(verbose_name="hết hạn lúc")),
    ]
