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

// Follow-ups (GOV.UK's conditional reveal): the page holds, hidden, each follow-up whose one
// trigger is on it; a follow-up shows while its trigger's value is one of data-reveal-values.
// The ids shown are added to the form's "shown", so the server does not show the page again.
function triggerValue(form, name) {
  var value = "";
  form.querySelectorAll("[name='" + CSS.escape(name) + "']").forEach(function (input) {
    if (input.closest("[hidden]")) return;
    if (input.type === "radio" ? input.checked : input.tagName === "SELECT") value = input.value;
  });
  return value;
}

function revealFollowUps() {
  var form = document.getElementById("questions");
  if (!form || !form.elements.shown) return;
  var shown = form.elements.shown;
  var ids = shown.value ? shown.value.split(" ") : [];
  form.querySelectorAll("[data-reveal-name]").forEach(function (question) {
    var values = JSON.parse(question.getAttribute("data-reveal-values"));
    var show = values.indexOf(triggerValue(form, question.getAttribute("data-reveal-name"))) !== -1;
    question.hidden = !show;
    var id = question.getAttribute("data-question");
    if (show && ids.indexOf(id) === -1) ids.push(id);
  });
  shown.value = ids.join(" ");
}

document.addEventListener("change", function (event) {
  if (event.target.form && event.target.form.id === "questions") revealFollowUps();
});
revealFollowUps();

// A status message made by the last action ("Education 2 removed") is put into its live
// region again after the page has loaded, so screen readers announce it.
document.querySelectorAll("[role='status'][data-announce]").forEach(function (region) {
  var message = Array.prototype.slice.call(region.childNodes);
  region.replaceChildren();
  setTimeout(function () { region.replaceChildren.apply(region, message); }, 300);
});
