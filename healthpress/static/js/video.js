// Click-to-play for article videos (healthpress/articles/video.py). Until the reader presses
// play, the page has loaded nothing from the video's host; then the player replaces the poster
// in place. Without this script the play button is a link to the video on the provider's site.
(function () {
  "use strict";
  if (window.healthpressVideo) return; // one listener, however many videos the page has
  window.healthpressVideo = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.video__play[data-player]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = link.getAttribute("data-player");
    frame.title = link.getAttribute("data-title") || "Video";
    frame.className = "video__player";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    var box = link.parentNode;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(frame);
    frame.focus();
  });
})();
