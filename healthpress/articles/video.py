"""Videos hosted by YouTube or Vimeo, shown without telling them who reads the page.

The page carries the editor's poster and a link to the video on the provider's site; the provider
is contacted only when the reader presses play, when static/js/video.js swaps in the player from
the privacy-enhanced host (youtube-nocookie.com, Vimeo with do-not-track). Without JavaScript the
play button stays a link to the provider's page. The player's host is allowed in the page's
Content-Security-Policy only on pages that have a video (ArticlePage.serve).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
PLAYER_HOSTS = {
    "youtube": "https://www.youtube-nocookie.com",
    "vimeo": "https://player.vimeo.com",
}


@dataclass(frozen=True)
class VideoLink:
    provider: str  # "youtube" or "vimeo"
    video_id: str

    @property
    def watch_url(self):
        """The video on the provider's own site: where the play button goes without JavaScript."""
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def player_url(self):
        """The embedded player, asked to start at once since the reader has pressed play."""
        if self.provider == "youtube":
            return f"{PLAYER_HOSTS['youtube']}/embed/{self.video_id}?autoplay=1&rel=0"
        return f"{PLAYER_HOSTS['vimeo']}/video/{self.video_id}?autoplay=1&dnt=1"

    @property
    def player_host(self):
        return PLAYER_HOSTS[self.provider]

    @property
    def provider_name(self):
        return {"youtube": "YouTube", "vimeo": "Vimeo"}[self.provider]


def parse_video_url(url):
    """The VideoLink for a YouTube or Vimeo address as people copy it, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [segment for segment in parts.path.split("/") if segment]
    candidate, provider = None, None
    if host in ("youtube.com", "youtube-nocookie.com"):
        provider = "youtube"
        if path[:1] == ["watch"]:
            candidate = parse_qs(parts.query).get("v", [None])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            candidate = path[1]
    elif host == "youtu.be" and path:
        provider, candidate = "youtube", path[0]
    elif host == "vimeo.com" and path:
        provider, candidate = "vimeo", path[-1]
    elif host == "player.vimeo.com" and len(path) >= 2 and path[0] == "video":
        provider, candidate = "vimeo", path[1]
    pattern = {"youtube": YOUTUBE_ID, "vimeo": VIMEO_ID}.get(provider)
    if pattern is None or not candidate or not pattern.match(candidate):
        return None
    return VideoLink(provider, candidate)
