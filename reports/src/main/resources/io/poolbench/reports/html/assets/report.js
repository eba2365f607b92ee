// poolbench report script: records script errors, checks that every chart was laid out with
// visible marks, and lets a click on a run in the header dim the other runs. It sets
//   body[data-report-ready]  "true" once the checks ran
//   body[data-charts]        number of charts on the page
//   body[data-charts-drawn]  number of charts with at least one visible mark
//   body[data-errors]        number of script errors seen (details in #report-errors)
(function () {
  'use strict';
  var errors = [];
  function record(message) {
    errors.push(String(message));
    if (document.body) {
      document.body.setAttribute('data-errors', String(errors.length));
      var list = document.getElementById('report-errors');
      if (!list) {
        list = document.createElement('ol');
        list.id = 'report-errors';
        document.body.appendChild(list);
      }
      var item = document.createElement('li');
      item.textContent = String(message);
      list.appendChild(item);
    }
  }
  window.addEventListener('error', function (e) {
    record((e && e.message) || 'error');
  });
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + (e && e.reason));
  });

  function visible(el) {
    try {
      var box = el.getBBox();
      return box.width > 0 || box.height > 0;
    } catch (err) {
      return false;
    }
  }

  function check() {
    var charts = document.querySelectorAll('svg.chart');
    var drawn = 0;
    for (var i = 0; i < charts.length; i++) {
      var marks = charts[i].querySelectorAll('path.series, rect.bar, circle');
      var ok = false;
      for (var j = 0; j < marks.length && !ok; j++) {
        ok = visible(marks[j]);
      }
      var rect = charts[i].getBoundingClientRect();
      if (ok && rect.width > 0 && rect.height > 0) {
        drawn++;
        charts[i].setAttribute('data-drawn', 'true');
      }
    }
    document.body.setAttribute('data-charts', String(charts.length));
    document.body.setAttribute('data-charts-drawn', String(drawn));
    document.body.setAttribute('data-errors', String(errors.length));
    var status = document.getElementById('report-status');
    if (status) {
      status.textContent = drawn + ' of ' + charts.length + ' charts drawn';
    }
  }

  function wireLegend() {
    var names = document.querySelectorAll('header .runs .run-name');
    for (var i = 0; i < names.length; i++) {
      (function (index, el) {
        el.setAttribute('role', 'button');
        el.setAttribute('tabindex', '0');
        el.title = 'Show only this run (click again for all)';
        el.addEventListener('click', function () {
          var focused = document.body.getAttribute('data-focus') === String(index);
          if (focused) {
            document.body.removeAttribute('data-focus');
          } else {
            document.body.setAttribute('data-focus', String(index));
          }
          var marks = document.querySelectorAll('[class*="run-"]');
          for (var k = 0; k < marks.length; k++) {
            var m = marks[k].getAttribute('class').match(/(?:^|\s)run-(\d+)/);
            if (m) {
              marks[k].classList.toggle('dim', !focused && m[1] !== String(index));
            }
          }
        });
      })(i, names[i]);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    try {
      wireLegend();
      check();
    } catch (err) {
      record(err && err.message ? err.message : err);
    }
    document.body.setAttribute('data-report-ready', 'true');
  });
})();
