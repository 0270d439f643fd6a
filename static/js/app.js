// ANTT Teams: the little behaviour the pages need, kept out of the HTML so that the
// Content-Security-Policy can forbid inline scripts.
//
// data-autosubmit on a form field: submit its form when the value changes (month pickers).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});

// The header's "Việc cần làm" link shows how many items wait (and whether some are late).
// The count comes from its own small request so that pages do not pay for the inbox.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("[data-inbox-count]");
  if (!link || !window.fetch) return;
  fetch(link.dataset.inboxCount, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.count) return;
      const badge = link.querySelector(".badge");
      badge.textContent = data.count;
      badge.hidden = false;
      if (data.late) badge.classList.add("badge-late");
    })
    .catch(() => {});
});
