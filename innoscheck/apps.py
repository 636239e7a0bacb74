from django.apps import AppConfig


class InnoscheckConfig(AppConfig):
    name = "innoscheck"
