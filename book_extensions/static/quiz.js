// The chapters' self-check quizzes (book_extensions/quiz.py renders them from data/quiz_questions.csv).
// Each question is a <form>: submitting it (the Check button, or Enter) writes the feedback into the
// question's live region: right or not, the note on the chosen option, the explanation and its sources.
// No inline script or handler in the page: everything is attached here, from the book's own files.
(function () {
  "use strict";

  function paragraph(text, className) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function verdict(right, text) {
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = right ? "Right." : "Not right.";
    p.appendChild(strong);
    if (text) p.appendChild(document.createTextNode(" " + text));
    return p;
  }

  // "1,997", " 1997 " and a typographic minus are read as the reader meant them.
  function asNumber(raw) {
    var text = raw.trim().replace(/\u2212/g, "-").replace(/[\s,\u00a0]/g, "");
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
  }

  function show(form, nodes, result) {
    var feedback = form.querySelector(".course-quiz-feedback");
    feedback.textContent = "";
    nodes.forEach(function (node) { feedback.appendChild(node); });
    if (result) form.setAttribute("data-result", result);
    else form.removeAttribute("data-result");
  }

  function explanation(form) {
    var source = form.querySelector(".course-quiz-explanation");
    return Array.prototype.map.call(source.children, function (child) { return child.cloneNode(true); });
  }

  function check(form) {
    var answer = form.getAttribute("data-answer");
    var rightText = form.getAttribute("data-right");
    if (form.getAttribute("data-kind") === "choice") {
      var chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) {
        show(form, [paragraph("Choose one of the options first.")], null);
        return;
      }
      var right = chosen.value === answer;
      // The data's notes open with "Right:" or "No:"; the verdict already says which.
      var note = (chosen.getAttribute("data-note") || "").replace(/^(Right|No)[.:]\s*/, "");
      note = note.charAt(0).toUpperCase() + note.slice(1);
      var nodes = [verdict(right, note)];
      if (!right) nodes.push(paragraph("The right answer is " + answer + ": " + rightText + "."));
      show(form, nodes.concat(explanation(form)), right ? "right" : "wrong");
      return;
    }
    var raw = form.querySelector(".course-quiz-answer").value;
    var value = asNumber(raw);
    if (value === null) {
      show(form, [paragraph(raw.trim() ? "Type a number in digits, for example 1990." : "Type a number first.")], null);
      return;
    }
    var correct = value === Number(answer);
    var verdictText = correct ? "" : "You typed " + raw.trim() + "; the answer is " + answer + ".";
    show(form, [verdict(correct, verdictText)].concat(explanation(form)), correct ? "right" : "wrong");
  }

  function start() {
    document.querySelectorAll("form.course-quiz-question").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // the quiz never leaves the page
        check(form);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
