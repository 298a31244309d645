// Progressive enhancement only: the form works the same without it.
// A link in an error summary moves focus to the input it names and shows its question.
document.addEventListener("click", function (event) {
  var link = event.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  var input = document.getElementById(link.getAttribute("href").slice(1));
  if (!input) return;
  event.preventDefault();
  var question = input.closest("fieldset, .field") || input;
  question.scrollIntoView();
  input.focus({ preventScroll: true });
});
