from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Chính quyền thân thiện – đánh giá, công nhận"
