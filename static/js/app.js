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
