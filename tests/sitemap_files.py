"""Reading /sitemap.xml as a crawler does: the index, then every file it lists."""

import re
from urllib.parse import urlsplit


def locs(xml):
    return re.findall(r"<loc>(.*?)</loc>", xml)


def file_urls(client, **headers):
    """The path (with `?p=N`) of every sitemap file the index lists."""
    index = client.get("/sitemap.xml", **headers)
    assert index.status_code == 200
    return [_path(loc) for loc in locs(index.content.decode())]


def all_files_xml(client, **headers):
    """Every sitemap file's XML, one after the other."""
    return "".join(
        client.get(url, **headers).content.decode() for url in file_urls(client, **headers)
    )


def _path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
