"""Uploads and renditions on S3-compatible storage (settings storages_from_env, docs/deploy.md),
against moto's S3 server started here on the loopback: the only S3 this machine can reach.

Django binds a model field's storage when the model is defined, so a process started with
AWS_STORAGE_BUCKET_NAME gets the bucket for renditions from the start; here, in a process that
started without it, the test gives the rendition field the storage the setting names.
"""

import json
import socket
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import storages
from wagtail.images import get_image_model

from healthpress.settings.stores import storages_from_env
from tests.image_files import jpeg_with_camera_metadata, metadata_of

moto_server = pytest.importorskip(
    "moto.server", reason="moto[server] is not installed (pip install -r requirements-test.lock)"
)
pytestmark = [pytest.mark.django_db, pytest.mark.own_stack]
BUCKET = "healthpress-test-media"
PUBLIC_RENDITIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/images/*",
        }
    ],
}


@pytest.fixture
def s3(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # The policy docs/deploy.md asks for: anyone may read renditions, nothing else.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_RENDITIONS))
    yield endpoint, client
    server.stop()


@pytest.fixture
def bucket_storages(s3, settings, monkeypatch):
    settings.STORAGES = {**storages_from_env(), "staticfiles": settings.STORAGES["staticfiles"]}
    Rendition = get_image_model().get_rendition_model()
    monkeypatch.setattr(Rendition._meta.get_field("file"), "storage", storages["renditions"])
    Rendition.cache_backend.clear()
    yield s3
    Rendition.cache_backend.clear()


def test_without_a_bucket_files_stay_in_the_local_folder(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    found = storages_from_env()
    assert found["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["renditions"] == found["default"]


def test_uploads_and_renditions_go_to_the_bucket(bucket_storages, tmp_path):
    from healthpress.core.images import upload_image

    endpoint, client = bucket_storages
    path = tmp_path / "calf.jpg"
    path.write_bytes(jpeg_with_camera_metadata())
    image, _ = upload_image(path, title="Calf")
    rendition = image.get_rendition("width-120|format-jpeg")

    keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert image.file.name in keys and image.file.name.startswith("original_images/")
    assert rendition.file.name in keys and rendition.file.name.startswith("images/")
    # Renditions have a plain address every reader (and every web process) can use...
    assert rendition.url.startswith(f"{endpoint}/{BUCKET}/images/") and "?" not in rendition.url
    with urllib.request.urlopen(rendition.url, timeout=10) as response:  # loopback only
        served = response.read()
    assert metadata_of(served)["gps"] == {} and metadata_of(served)["size"][0] == 120
    head = client.head_object(Bucket=BUCKET, Key=rendition.file.name)
    assert "immutable" in head["CacheControl"]
    # ...originals only an expiring signed one: without it, the bucket says no.
    assert "X-Amz-Signature=" in image.file.url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(image.file.url.split("?")[0], timeout=10)
    assert refused.value.code == 403
    original = client.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert metadata_of(original)["gps"] == {}


def test_a_rendition_made_by_one_process_is_found_by_another(bucket_storages, tmp_path):
    from healthpress.core.images import upload_image

    path = tmp_path / "calf.jpg"
    path.write_bytes(jpeg_with_camera_metadata())
    image, _ = upload_image(path, title="Calf")
    made = image.get_rendition("width-100|format-webp")
    get_image_model().get_rendition_model().cache_backend.clear()  # another process: no cache
    again = get_image_model().objects.get(pk=image.pk).get_rendition("width-100|format-webp")
    assert again.pk == made.pk and again.url == made.url
    with urllib.request.urlopen(again.url, timeout=10) as response:
        assert response.read()[:4] == b"RIFF"
