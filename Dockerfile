FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=x DATABASE_URL=sqlite:////tmp/x CELERY_BROKER_URL=memory:// \
    DJANGO_SETTINGS_MODULE=digitalfabrik.settings.production \
    sh -c "python manage.py compilemessages --ignore .venv -v0 && python manage.py collectstatic --noinput -v0"
USER nobody
