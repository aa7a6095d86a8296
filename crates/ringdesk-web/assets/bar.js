/* The live call bar and notices (R-U1, R-U7, R-X7), hand-written.
 *
 * The server pushes changes on GET /api/v1/live (Server-Sent Events; the
 * browser's EventSource resumes with Last-Event-ID by itself). For each
 * change this script fetches a fragment the server renders in the page's
 * language: /call-bar/{id} (404 when the call is not, or no longer, on this
 * employee's bar) and /live-notice/{kind}/{id}. On load it fetches /call-bar,
 * so a page opened mid-call shows the bar too. No text lives here.
 *
 * Dismiss needs a double click, or from the keyboard two presses of Enter or
 * Space within two seconds; a dismissed call stays dismissed in this tab.
 */
(function () {
  "use strict";
  var bar = document.getElementById("call-bar");
  if (!bar || !window.fetch) {
    return;
  }
  var KEY = "ringdesk-dismissed-calls";
  var AGAIN_MS = 2000;

  function dismissed() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function remember(id) {
    var list = dismissed();
    if (list.indexOf(id) < 0) {
      list.push(id);
      try {
        sessionStorage.setItem(KEY, JSON.stringify(list.slice(-100)));
      } catch (e) {
        /* private mode: dismissed for this page only */
      }
    }
  }

  var calls = document.createElement("div");
  calls.className = "call-bar-calls";
  bar.appendChild(calls);
  // The bar is fixed at the bottom: the page keeps room below its end for
  // however many calls and notices are stacked, so nothing stays hidden.
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      document.body.style.paddingBottom = Math.max(96, bar.offsetHeight + 16) + "px";
    }).observe(bar);
  }
  var notices = document.createElement("ul");
  notices.id = "live-notices";
  bar.appendChild(notices);

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content;
  }

  function dismiss(item) {
    var id = item.getAttribute("data-call");
    remember(id);
    var had = item.contains(document.activeElement);
    item.parentNode.removeChild(item);
    if (had) {
      var next = calls.querySelector(".call-dismiss");
      (next || document.getElementById("content")).focus({ preventScroll: true });
    }
  }

  function wire(item) {
    var button = item.querySelector(".call-dismiss");
    if (!button) {
      return;
    }
    var again = item.querySelector(".call-dismiss-again");
    var last = 0;
    var timer = null;
    button.addEventListener("dblclick", function () {
      dismiss(item);
    });
    button.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " " && e.key !== "Spacebar") {
        return;
      }
      e.preventDefault();
      if (e.repeat) {
        return;
      }
      var now = Date.now();
      if (now - last <= AGAIN_MS) {
        dismiss(item);
        return;
      }
      last = now;
      if (again) {
        again.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(function () {
          again.hidden = true;
          last = 0;
        }, AGAIN_MS);
      }
    });
    /* A single click (or the keyboard's click on keyup) does nothing. */
    button.addEventListener("click", function (e) {
      e.preventDefault();
    });
  }

  function place(html) {
    var frag = fragment(html);
    var items = frag.querySelectorAll(".call-item");
    var list = dismissed();
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var id = item.getAttribute("data-call");
      var old = document.getElementById("call-" + id);
      if (list.indexOf(id) >= 0) {
        if (old) {
          old.parentNode.removeChild(old);
        }
        continue;
      }
      wire(item);
      if (old) {
        /* Keep the keyboard where it was when the state changes. */
        var focused = old.contains(document.activeElement) ? document.activeElement.className : null;
        old.parentNode.replaceChild(item, old);
        if (focused) {
          var again = item.getElementsByClassName(focused.split(" ")[0])[0];
          if (again) {
            again.focus({ preventScroll: true });
          }
        }
      } else {
        calls.appendChild(item);
      }
    }
  }

  function remove(id) {
    var old = document.getElementById("call-" + id);
    if (old) {
      var had = old.contains(document.activeElement);
      old.parentNode.removeChild(old);
      if (had) {
        document.getElementById("content").focus({ preventScroll: true });
      }
    }
  }

  /* One request at a time, in the stream's order, so an older answer never overwrites a newer one. */
  var queue = Promise.resolve();
  function enqueue(task) {
    queue = queue.then(task, task);
  }
  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  }

  function refreshCall(id) {
    enqueue(function () {
      return get("/call-bar/" + encodeURIComponent(id)).then(function (r) {
        if (r.status === 404) {
          remove(String(id));
          return null;
        }
        return r.ok ? r.text().then(place) : null;
      });
    });
  }

  function notice(kind, id) {
    enqueue(function () {
      return get("/live-notice/" + kind + "/" + encodeURIComponent(id)).then(function (r) {
        if (!r.ok) {
          return null;
        }
        return r.text().then(function (html) {
          var frag = fragment(html);
          var li = frag.querySelector(".live-notice");
          if (!li) {
            return;
          }
          var same = notices.querySelector('[data-kind="' + kind + '"][data-id="' + li.getAttribute("data-id") + '"]');
          if (same) {
            same.parentNode.removeChild(same);
          }
          var close = li.querySelector(".notice-close");
          if (close) {
            close.addEventListener("click", function () {
              li.parentNode.removeChild(li);
            });
          }
          notices.insertBefore(li, notices.firstChild);
          while (notices.children.length > 5) {
            notices.removeChild(notices.lastChild);
          }
        });
      });
    });
  }

  enqueue(function () {
    return get("/call-bar").then(function (r) {
      return r.ok ? r.text().then(place) : null;
    });
  });

  if (!window.EventSource) {
    return;
  }
  var stream = new EventSource("/api/v1/live");
  /* Leaving the page ends its stream at once: a browser allows only a few
   * connections per server, and a page kept for "back" must not hold one. */
  window.addEventListener("pagehide", function () {
    stream.close();
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {
      window.location.reload();
    }
  });
  function idOf(e) {
    try {
      return JSON.parse(e.data).id;
    } catch (err) {
      return null;
    }
  }
  stream.addEventListener("call", function (e) {
    var id = idOf(e);
    if (id != null) {
      refreshCall(id);
    }
  });
  ["lead", "task", "notification"].forEach(function (kind) {
    stream.addEventListener(kind, function (e) {
      var id = idOf(e);
      if (id != null) {
        notice(kind, id);
      }
    });
  });
  /* After a reconnect the stream sends what was missed (Last-Event-ID); calls
   * that ended meanwhile are caught by reading the bar again too. */
  var opened = false;
  stream.addEventListener("open", function () {
    if (opened) {
      enqueue(function () {
        return get("/call-bar").then(function (r) {
          if (!r.ok) {
            return null;
          }
          return r.text().then(function (html) {
            var frag = fragment(html);
            var live = {};
            var items = frag.querySelectorAll(".call-item");
            for (var i = 0; i < items.length; i++) {
              live[items[i].getAttribute("data-call")] = true;
            }
            var shown = calls.querySelectorAll(".call-item");
            for (var j = 0; j < shown.length; j++) {
              if (!live[shown[j].getAttribute("data-call")]) {
                shown[j].parentNode.removeChild(shown[j]);
              }
            }
            place(html);
          });
        });
      });
    }
    opened = true;
  });
})();
