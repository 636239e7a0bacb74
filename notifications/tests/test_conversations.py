import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.tests.factories import CaseFactory
from innoscheck.tests.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, ApplicationFactory
from innoscheck.workflow import Status
from notifications.models import Kind, Message, MessageAttachment, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    return ApplicationFactory(company=world.company_a, status=Status.IN_REVIEW)


def _thread(application):
    return reverse("notifications:application_thread", args=[application.pk])


def _told(event):
    return set(Notification.objects.filter(event=event, kind=Kind.MESSAGE).values_list("user__email", flat=True))


def test_the_company_answers_with_a_pdf_and_the_reviewing_staff_are_told(client, world, application):
    client.force_login(world.users["member_a"])
    upload = SimpleUploadedFile("angebot-neu.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(_thread(application), {"text": "Hier das neue Angebot.", "files": [upload]})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.application, message.author, message.internal) == (application, world.users["member_a"], False)
    (attachment,) = message.attachments.all()
    assert attachment.original_name == "angebot-neu.pdf" and attachment.content_type == "application/pdf"
    assert _told("message.application") == {"staff@example.com", "staff.lead@example.com"}

    client.force_login(world.users["staff"])
    page = client.get(_thread(application)).content.decode()
    assert "Hier das neue Angebot." in page
    download = client.get(reverse("notifications:message_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    client.post(_thread(application), {"text": "Danke, wir prüfen."})
    assert "member.a@example.com" in _told("message.application")


def test_internal_notes_stay_internal(client, world, application):
    client.force_login(world.users["staff"])
    upload = SimpleUploadedFile("vermerk.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(_thread(application), {"text": "Nur intern: Budget knapp.", "internal": "on", "files": [upload]})
    note = Message.objects.get()
    assert note.internal
    assert not Notification.objects.filter(user=world.users["member_a"]).exists()
    attachment = MessageAttachment.objects.get()

    client.force_login(world.users["member_a"])
    page = client.get(_thread(application)).content.decode()
    assert "Budget knapp" not in page
    assert 'name="internal"' not in page
    assert client.get(reverse("notifications:message_attachment", args=[attachment.pk])).status_code == 403
    # A company member cannot make a note internal by posting the field.
    client.post(_thread(application), {"text": "Hallo", "internal": "on"})
    assert not Message.objects.get(text="Hallo").internal


def test_files_are_checked_by_their_content(client, world, application):
    client.force_login(world.users["member_a"])
    fake = SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(_thread(application), {"text": "Anbei", "files": [fake]})
    assert response.status_code == 200
    assert "PDF" in response.content.decode() and not Message.objects.exists()


def test_png_and_jpeg_photos_are_accepted_and_downloaded_by_the_other_side(client, world, application):
    client.force_login(world.users["member_a"])
    uploads = [
        SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png"),
        SimpleUploadedFile("foto.jpg", JPEG_BYTES, content_type="image/jpeg"),
    ]
    assert client.post(_thread(application), {"text": "Fotos der Maschine", "files": uploads}).status_code == 302
    attachments = {item.original_name: item for item in MessageAttachment.objects.all()}
    assert {name: item.content_type for name, item in attachments.items()} == {
        "foto.png": "image/png",
        "foto.jpg": "image/jpeg",
    }
    client.force_login(world.users["staff"])
    download = client.get(reverse("notifications:message_attachment", args=[attachments["foto.png"].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG_BYTES


def test_other_companies_and_other_partners_staff_are_refused(client, world, application):
    for role in ("member_b", "staff_other", "coach", "funder"):
        client.force_login(world.users[role])
        assert client.get(_thread(application)).status_code == 403, role
        assert client.post(_thread(application), {"text": "x"}).status_code == 403, role
    assert not Message.objects.exists()


def test_a_case_thread_between_the_coach_and_the_company(client, world):
    case = CaseFactory(company=world.company_a, coach=world.users["coach"])
    url = reverse("notifications:case_thread", args=[case.pk])
    client.force_login(world.users["coach"])
    assert client.post(url, {"text": "Termin am Dienstag?"}).status_code == 302
    assert _told("message.case") == {"member.a@example.com"}
    client.force_login(world.users["member_a"])
    assert "Termin am Dienstag?" in client.get(url).content.decode()
    client.post(url, {"text": "Ja, gern."})
    assert "coach@example.com" in _told("message.case")
    detail = client.get(reverse("coaching:case_detail", args=[case.pk])).content.decode()
    assert url in detail


def test_erasure_removes_notifications_and_mails_and_scrubs_messages(client, world, application):
    from accounts.privacy import account_erase, personal_data
    from notifications.models import OutboxMail

    member = world.users["member_a"]
    client.force_login(member)
    client.post(_thread(application), {"text": f"Gruß, {member.get_full_name()}"})
    client.force_login(world.users["staff"])
    client.post(_thread(application), {"text": "Danke!"})
    documents, _files = personal_data(user=member)
    assert documents["messages_written.json"][0]["text"].startswith("Gruß")
    assert documents["notifications.json"][0]["kind"] == Kind.MESSAGE
    assert OutboxMail.objects.filter(recipient=member.email).exists()

    email = member.email
    account_erase(user=member)
    assert not Notification.objects.filter(user=member).exists()
    assert not OutboxMail.objects.filter(recipient=email).exists()
    assert member.get_full_name() not in Message.objects.get(author=member).text
