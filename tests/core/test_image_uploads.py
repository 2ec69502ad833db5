"""Uploaded pictures lose their camera metadata, stay upright and keep their colours; files that
are not pictures we take are refused with a reason (core/images.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model

from healthpress.core.images import clean_image_bytes, upload_image
from tests.image_files import (
    SERIAL,
    XMP,
    jpeg_with_camera_metadata,
    metadata_of,
    png,
    png_bomb,
    svg_with_script,
)

pytestmark = pytest.mark.django_db
Image = get_image_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def upload(admin_client, name, data, content_type="image/jpeg"):
    return admin_client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def assert_no_camera_metadata(data):
    found = metadata_of(data)
    assert found["gps"] == {}
    assert found["exif_tags"] == {}
    assert not found["xmp"]
    assert SERIAL.encode() not in data and b"PhoneMaker" not in data and XMP[:20] not in data


def test_an_admin_upload_with_gps_exif_is_stored_and_rendered_without_it(admin_client):
    original = jpeg_with_camera_metadata(width=320, height=200, orientation=6)
    assert metadata_of(original)["gps"], "the test picture must carry a GPS position"

    response = upload(admin_client, "calf.jpg", original)

    assert response.status_code == 302, response.content[:2000]
    image = Image.objects.get()
    stored = image.file.open("rb").read()
    assert_no_camera_metadata(stored)
    found = metadata_of(stored)
    assert found["icc"], "the colour profile is kept"
    # Orientation 6 (turn 90° clockwise) was applied to the pixels before the tag went: the
    # picture is now portrait, and its marked corner moved from top-left to top-right.
    assert found["size"] == (200, 320)
    assert (image.width, image.height) == (200, 320)
    assert found["top_left"][0] < 100
    # Willow copies EXIF into renditions: with none left in the original, none reaches them.
    for spec in ("width-160|format-jpeg", "width-160|format-png", "width-160|format-webp"):
        rendition = image.get_rendition(spec)
        assert_no_camera_metadata(rendition.file.open("rb").read())
    # Wagtail's hash and size describe the stored (cleaned) file.
    assert image.file_size == len(stored)
    assert image.file_hash == __import__("hashlib").sha1(stored).hexdigest()


def test_an_svg_with_a_script_is_refused(admin_client):
    response = upload(admin_client, "evil.svg", svg_with_script(), "image/svg+xml")
    assert response.status_code == 200
    assert Image.objects.count() == 0
    assert b"Not a supported image format" in response.content


def test_a_decompression_bomb_is_refused_before_it_is_decoded(admin_client, settings):
    bomb = png_bomb(12000, 12000)  # 144 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    response = upload(admin_client, "bomb.png", bomb, "image/png")
    assert response.status_code == 200
    assert Image.objects.count() == 0
    assert b"too many pixels" in response.content


def test_pillow_refuses_a_bomb_even_where_the_form_is_not_asked():
    # The importer and the demo call clean_image_bytes directly.
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_image_bytes(png_bomb(12000, 12000))


def test_an_svg_renamed_to_jpg_is_refused_by_the_importers_path(tmp_path):
    path = tmp_path / "sneaky.jpg"
    path.write_bytes(svg_with_script())
    with pytest.raises(ValidationError):
        upload_image(path, title="Sneaky")
    assert Image.objects.count() == 0


def test_the_importer_reuses_an_image_with_the_same_content(tmp_path):
    first_path, second_path = tmp_path / "a.jpg", tmp_path / "b.jpg"
    first_path.write_bytes(jpeg_with_camera_metadata())
    second_path.write_bytes(jpeg_with_camera_metadata())
    first, created = upload_image(first_path, title="Calf")
    again, created_again = upload_image(second_path, title="Calf again")
    assert created and not created_again
    assert again.pk == first.pk
    assert_no_camera_metadata(first.file.open("rb").read())
    other, created_other = upload_image(_write(tmp_path / "c.png", png()), title="Other")
    assert created_other and other.pk != first.pk


def test_a_png_keeps_its_pixels():
    cleaned = metadata_of(clean_image_bytes(png()))
    assert cleaned["format"] == "PNG"
    assert cleaned["top_left"] == (250, 20, 20)


def _write(path, data):
    path.write_bytes(data)
    return path


def test_originals_answer_404_to_the_public(client, tmp_path, media_root):
    image, _ = upload_image(_write(tmp_path / "calf.jpg", jpeg_with_camera_metadata()), title="C")
    assert image.file.name.startswith("original_images/")
    assert client.get("/media/" + image.file.name).status_code == 404
    # Refused by the URLconf itself, ahead of the media serving `make run` (DEBUG) adds.
    from django.urls import resolve

    from healthpress.core.views import private_upload

    assert resolve("/media/" + image.file.name).func is private_upload
    rendition = image.get_rendition("width-100|format-jpeg")
    assert not rendition.url.startswith("/media/original_images/")


def test_the_multiple_upload_path_strips_gps_too(admin_client):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("phone.jpg", jpeg_with_camera_metadata(), "image/jpeg")},
    )
    assert response.status_code == 200 and response.json()["success"], response.content[:500]
    image = Image.objects.get()
    assert_no_camera_metadata(image.file.open("rb").read())


def _held_upload(admin_client):
    """A picture the multiple uploader holds: its file is fine, but with two collections and
    none chosen its form is incomplete, so Wagtail keeps it as an UploadedFile."""
    from wagtail.models import Collection, UploadedFile

    Collection.get_first_root_node().add_child(name="Clinic photos")
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("phone.jpg", jpeg_with_camera_metadata(), "image/jpeg")},
    )
    assert response.status_code == 200 and "uploaded_file_id" in response.json(), response.content
    return UploadedFile.objects.get(pk=response.json()["uploaded_file_id"])


def test_a_picture_held_by_the_multiple_uploader_is_stored_without_gps(admin_client, media_root):
    held = _held_upload(admin_client)

    assert_no_camera_metadata(held.file.open("rb").read())
    stored = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.relative_to(media_root).parts[0] for p in stored] == ["wagtail_uploads"]
    assert_no_camera_metadata(stored[0].read_bytes())
    from django.urls import resolve

    from healthpress.core.views import private_upload

    assert resolve("/media/" + held.file.name).func is private_upload
    assert admin_client.get("/media/" + held.file.name).status_code == 404


def test_completing_a_held_upload_makes_a_clean_image_and_leaves_nothing_behind(
    admin_client, media_root
):
    from wagtail.models import Collection, UploadedFile

    held = _held_upload(admin_client)
    collection = Collection.objects.get(name="Clinic photos")
    prefix = f"uploaded-image-{held.pk}"
    response = admin_client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{held.pk}/",
        {f"{prefix}-title": "Calf", f"{prefix}-collection": collection.pk, f"{prefix}-tags": ""},
    )

    assert response.status_code == 200 and response.json()["success"], response.content[:500]
    image = Image.objects.get()
    assert_no_camera_metadata(image.file.open("rb").read())
    assert not UploadedFile.objects.exists()
    assert not list((media_root / "wagtail_uploads").iterdir())


def test_a_refused_file_in_a_multiple_upload_stores_nothing(admin_client, media_root):
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("drawing.svg", svg_with_script(), "image/svg+xml")},
    )

    assert response.status_code == 200 and not response.json()["success"]
    assert not Image.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
