/*
 * The explorer's one script, an enhancement only (every page works without it): each long list
 * of the filter form (areas, offences) gets a box to narrow it by typing, accent- and
 * case-insensitive ("mexico" finds México), and says how many choices are shown. Chosen options
 * stay listed whatever is typed, so a narrowed list never hides what the form will submit.
 * Served from this host under the pages' CSP (script-src 'self'); no framework, no build step.
 */
(function () {
  'use strict';
  var fold = function (text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  };
  var lists = document.querySelectorAll('form.filters select[multiple][data-narrow-label]');
  Array.prototype.forEach.call(lists, function (select) {
    var id = select.id + '-narrow';
    var label = document.createElement('label');
    label.setAttribute('for', id);
    label.className = 'narrow-label';
    label.textContent = select.getAttribute('data-narrow-label');
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.className = 'narrow';
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('aria-controls', select.id);
    var status = document.createElement('p');
    status.className = 'narrow-status help';
    status.setAttribute('role', 'status');
    var options = Array.prototype.slice.call(select.options);
    var words = options.map(function (o) { return fold(o.textContent + ' ' + o.value); });
    var shownText = select.getAttribute('data-narrow-shown') || '{n}';
    input.addEventListener('input', function () {
      var q = fold(input.value);
      var shown = 0;
      options.forEach(function (o, i) {
        var keep = q === '' || o.selected || words[i].indexOf(q) >= 0;
        o.hidden = !keep;
        if (keep && !o.disabled) shown++;
      });
      status.textContent = q === '' ? '' : shownText.replace('{n}', String(shown));
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);
  });
})();
