"""Pictures made for the tests with Pillow: nothing is downloaded, nothing is committed."""

import io

from PIL import ExifTags, Image, ImageCms, ImageDraw

GPS_LATITUDE = (51.0, 30.0, 26.0)
SERIAL = "CAM-SERIAL-0042"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Ada '
    b'Phone Owner"/></rdf:RDF></x:xmpmeta>'
)


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture(width=320, height=200, colour=(40, 120, 200)):
    """A picture with a marker in its top-left corner, so a test can tell which way is up."""
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((0, 0, width // 4, height // 4), fill=(250, 20, 20))
    return image


def jpeg_with_camera_metadata(width=320, height=200, orientation=6):
    """A JPEG as a phone writes it: GPS position, serial number, XMP, an ICC profile, and an
    orientation tag saying "turn me 90° clockwise" (6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    out = io.BytesIO()
    picture(width, height).save(
        out, "JPEG", quality=90, exif=exif, xmp=XMP, icc_profile=srgb_profile()
    )
    return out.getvalue()


def png(width=320, height=200):
    out = io.BytesIO()
    picture(width, height).save(out, "PNG")
    return out.getvalue()


def svg_with_script():
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
    )


def png_bomb(width=12000, height=12000):
    """Tiny on disk, huge in memory: a one-colour PNG of width × height pixels."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def metadata_of(data):
    """What a reader's browser could learn from a public file: EXIF (with GPS), XMP, ICC, size."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    return {
        "format": image.format,
        "size": image.size,
        "exif_tags": dict(exif),
        "gps": dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
        "xmp": image.info.get("xmp") or image.info.get("XML:com.adobe.xmp"),
        "icc": image.info.get("icc_profile"),
        "top_left": image.convert("RGB").getpixel((2, 2)),
        "raw": data,
    }
