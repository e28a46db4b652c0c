// Small progressive enhancements; everything works without JavaScript.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// An htmx request the server refused (403: e.g. a suspended account; 429: too many) shows the
// reason from the error page at the top of the page, as a full page load would.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  if (![403, 429].includes(xhr.status)) {
    return;
  }
  const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
  const reason = doc.querySelector(".error-page p");
  const main = document.getElementById("main");
  if (!reason || !main) {
    return;
  }
  let box = main.querySelector(".messages");
  if (!box) {
    box = document.createElement("div");
    box.className = "messages";
    box.setAttribute("role", "status");
    main.prepend(box);
  }
  const line = document.createElement("p");
  line.className = "message message-error";
  line.textContent = reason.textContent;
  box.append(line);
  line.scrollIntoView({ block: "nearest" });
});

// Ask form autosave. While the question is typed it is kept in this browser (localStorage); when
// the empty form is opened again (a crash, a closed tab) it is put back, with a notice and a way
// to discard it; it is forgotten once the question is published (the confirmation message
// carries data-tags="ask-published").
(() => {
  const KEY = "lawqa:ask-draft";
  const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  const FIELDS = ["title", "detail", "category", "province", "is_anonymous"];
  let storage = null;
  try {
    storage = window.localStorage;
    storage.setItem("lawqa:probe", "1");
    storage.removeItem("lawqa:probe");
  } catch (error) {
    return; // storage disabled (private mode, policy): the form simply works without autosave
  }
  if (document.querySelector(".message[data-tags~='ask-published']")) {
    storage.removeItem(KEY);
  }
  const form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }
  const field = (name) => form.elements.namedItem(name);
  const read = () => {
    const draft = { savedAt: Date.now() };
    for (const name of FIELDS) {
      const el = field(name);
      if (el) {
        draft[name] = el.type === "checkbox" ? el.checked : el.value;
      }
    }
    return draft;
  };
  const hasText = (draft) => Boolean(draft && ((draft.title || "").trim() || (draft.detail || "").trim()));
  const fill = (draft) => {
    for (const name of FIELDS) {
      const el = field(name);
      if (!el) {
        continue;
      }
      if (el.type === "checkbox") {
        el.checked = Boolean(draft[name]);
      } else {
        el.value = draft[name] === undefined ? "" : draft[name];
      }
    }
  };
  let saved = null;
  try {
    saved = JSON.parse(storage.getItem(KEY) || "null");
  } catch (error) {
    saved = null;
  }
  if (saved && Date.now() - (saved.savedAt || 0) > MAX_AGE_MS) {
    storage.removeItem(KEY);
    saved = null;
  }
  const notice = document.getElementById("draft-restored");
  if (hasText(saved) && !hasText(read())) {
    fill(saved);
    if (notice) {
      notice.hidden = false;
    }
  }
  const save = () => {
    const draft = read();
    if (hasText(draft)) {
      storage.setItem(KEY, JSON.stringify(draft));
    } else {
      storage.removeItem(KEY);
    }
  };
  let timer = null;
  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  });
  form.addEventListener("change", save);
  const discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", () => {
      storage.removeItem(KEY);
      fill({});
      if (notice) {
        notice.hidden = true;
      }
      const title = field("title");
      if (title) {
        title.focus();
      }
    });
  }
})();
