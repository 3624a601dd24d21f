/**
 * The console's only script, served at /console/assets/console.js: progressive enhancement. Every page works
 * without it; it adds "select all" for the replay checkboxes.
 */
export const CONSOLE_JS = `'use strict';
document.documentElement.classList.add('js');
document.addEventListener('click', function (event) {
  var target = event.target;
  if (!(target instanceof HTMLElement)) return;
  var name = target.getAttribute('data-select-all');
  if (name === null) return;
  var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
  Array.prototype.forEach.call(boxes, function (box) { box.checked = !all; });
});
`
