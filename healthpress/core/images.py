"""Uploaded pictures, made safe to publish before Wagtail stores them.

Every way an image enters the site goes through `clean_image_file`: the admin's upload forms
(Wagtail's single and multiple upload, the chooser's upload tab) through `ImageUploadForm`,
which `WAGTAILIMAGES_IMAGE_FORM_BASE` makes the base of all of them, and the importer and the
demo through `upload_image`.

What it does, and why:

- The camera's metadata goes: EXIF and XMP carry GPS positions, serial numbers and the owner's
  name, and Willow copies EXIF into JPEG and PNG renditions. The EXIF orientation is applied to
  the pixels first, so a phone photo stays the right way up once its EXIF is gone.
- The ICC colour profile stays: without it a wide-gamut photo shows washed out.
- Only JPEG, PNG and WebP are taken (`WAGTAILIMAGES_EXTENSIONS`): an SVG can carry script, and
  the formats we keep are ones Pillow re-encodes without metadata.
- Pillow's decompression-bomb check is an error here, not a warning: a small file that expands to
  gigapixels is refused before it is decoded in full.
- Wagtail's multiple uploader has one path around the form: a picture whose file is fine but
  whose other fields are not (no collection chosen, when there are several) is kept as a
  `wagtail.models.UploadedFile` straight from the request, and the Image is later made from that
  stored file without the form's cleaning. `clean_pending_upload` cleans it as it is stored, so
  no file in `wagtail_uploads/` ever holds the camera's metadata either.
"""

import hashlib
import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images.forms import BaseImageForm

# Pillow format name → how it is saved again without metadata.
SAVE_OPTIONS = {
    "JPEG": {"format": "JPEG", "quality": "keep", "subsampling": "keep"},
    "PNG": {"format": "PNG", "optimize": False},
    "WEBP": {"format": "WEBP", "quality": 90},
}
# A turned JPEG no longer has its original quantisation tables to keep.
TURNED_JPEG = {"format": "JPEG", "quality": 92}
ORIENTATION = 0x0112  # the EXIF tag


def clean_image_bytes(data):
    """The image in `data` (bytes) re-saved without EXIF, XMP or text metadata, upright, with its
    ICC profile; raises ValidationError when it is not an image we take."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            source = PILImage.open(io.BytesIO(data))
            source_format = source.format
            if source_format not in SAVE_OPTIONS:
                raise ValidationError(
                    "Upload a JPEG, PNG or WebP picture (this one is %(format)s).",
                    code="invalid_image_format",
                    params={"format": source_format or "not an image"},
                )
            source.load()
            turned = source.getexif().get(ORIENTATION, 1) not in (1, None)
            upright = ImageOps.exif_transpose(source) if turned else source
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ValidationError(
            "This picture has too many pixels to open safely.", code="file_too_many_pixels"
        ) from error
    except (OSError, SyntaxError, ValueError) as error:  # what Pillow raises for a broken file
        raise ValidationError(
            "This file is not a picture that can be read.", code="invalid_image"
        ) from error
    options = dict(
        TURNED_JPEG if turned and source_format == "JPEG" else SAVE_OPTIONS[source_format]
    )
    icc = source.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if source_format == "PNG" and "transparency" in source.info and not turned:
        options["transparency"] = source.info["transparency"]
    out = io.BytesIO()
    # No exif= or xmp= argument: Pillow writes neither unless asked. exif_transpose() keeps a
    # trimmed EXIF in upright.info, which save() does not read for these formats.
    image = upright
    image.info = {}
    image.save(out, **options)
    return out.getvalue()


def clean_image_file(uploaded, name=None):
    """An uploaded file (anything with read()) as a cleaned ContentFile of the same name."""
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    cleaned = clean_image_bytes(uploaded.read())
    return ContentFile(cleaned, name=os.path.basename(name or uploaded.name))


class ImageUploadForm(BaseImageForm):
    """The base of Wagtail's image forms (WAGTAILIMAGES_IMAGE_FORM_BASE): Wagtail's field checks
    the format, size and pixel count, then the file is cleaned before it is stored, and the
    stored file's size, hash and dimensions are the cleaned file's."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or "file" not in self.changed_data:
            return uploaded
        return clean_image_file(uploaded)


def clean_pending_upload(sender, instance, **kwargs):
    """pre_save of Wagtail's UploadedFile (connected in core/receivers.py): a picture held by the
    multiple uploader is stored cleaned, like every other upload. Documents are left alone."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.images import get_image_model

    if instance.pk is not None or not instance.file:
        return  # stored already: Wagtail never changes a held upload's file
    if instance.for_content_type != ContentType.objects.get_for_model(get_image_model()):
        return
    # The uploader's form cleaned the same bytes without error (else it would have refused the
    # file rather than hold it), so this does not raise for anything an editor can send.
    instance.file = clean_image_file(instance.file)


def file_hash(data):
    """The hash Wagtail stores in Image.file_hash (SHA-1 of the stored file)."""
    return hashlib.sha1(data).hexdigest()


def upload_image(path, *, title, collection=None):
    """The Image for the picture at `path`: the one already stored with the same cleaned content
    (Image.file_hash) or a new one, cleaned like an admin upload. Returns (image, created).

    For the importer and the demo. Raises ValidationError for a file an editor could not upload.
    """
    from django.conf import settings
    from wagtail.images import get_image_model

    Image = get_image_model()
    extension = os.path.splitext(str(path))[1].lower().lstrip(".")
    allowed = getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["jpg", "jpeg", "png", "webp"])
    if extension not in allowed:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP picture (not .%(ext)s).", params={"ext": extension}
        )
    with open(path, "rb") as source:
        data = source.read(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1)
    if len(data) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
        raise ValidationError("This picture is over the upload size limit.")
    cleaned = clean_image_bytes(data)
    existing = Image.objects.filter(file_hash=file_hash(cleaned)).first()
    if existing:
        return existing, False
    image = Image(title=title[:255])
    if collection is not None:
        image.collection = collection
    # Django's ImageField fills width and height as the file is assigned.
    image.file = ContentFile(cleaned, name=os.path.basename(str(path)))
    image.save()
    image.get_file_size()  # Wagtail's public getters compute and store both
    image.get_file_hash()
    return image, True
