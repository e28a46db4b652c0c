// 写作助手: buttons with data-insert-text put their text into the answer box at the cursor (a
// citation such as 《劳动合同法》第三十条, or one of the lawyer's earlier answers). The box then
// fires "input", so the masking preview and the live citation check run again.
(() => {
  if (window.lawqaAnswerHelp) return; // the partial can be included more than once
  window.lawqaAnswerHelp = true;

  const insert = (box, text) => {
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    const before = box.value.slice(0, start);
    // A whole answer goes on its own lines; a citation flows into the sentence.
    const block = text.includes("\n") || text.length > 60;
    const pre = block && before && !before.endsWith("\n") ? "\n\n" : "";
    const insertion = pre + text + (block ? "\n" : "");
    box.setRangeText(insertion, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  };

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-insert-text]") : null;
    if (!button) return;
    const form = button.closest("form") || document.getElementById("answer-form");
    const box = form ? form.querySelector("textarea[name=body]") : null;
    if (!box) return;
    event.preventDefault();
    insert(box, button.dataset.insertText);
    const note = button.dataset.doneLabel || "已插入";
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = note;
    window.setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
  });
})();
