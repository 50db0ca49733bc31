/*
 * GraphiQL at /graphiql: the page's only script of our own (served as /graphiql/app.js). It runs
 * after the UMD builds of React, ReactDOM and GraphiQL that the page loads from this host, and
 * mounts GraphiQL into #graphiql. The endpoint and the default query come from that element's
 * data- attributes, so the page needs no inline script and the CSP can forbid it.
 * Headers are not persisted: a token typed into the headers editor stays out of localStorage.
 */
(function () {
  'use strict';
  var container = document.getElementById('graphiql');
  if (!container) return;
  var endpoint = container.getAttribute('data-endpoint');
  var defaultQuery = container.getAttribute('data-default-query') || '';
  // The "Loading" text is replaced by GraphiQL; if a vendor file failed to load, it says so.
  if (typeof React === 'undefined' || typeof ReactDOM === 'undefined' || typeof GraphiQL === 'undefined') {
    container.textContent = 'GraphiQL could not be loaded. The GraphQL endpoint ' + endpoint + ' still accepts POST and GET requests.';
    return;
  }
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery, shouldPersistHeaders: false }),
  );
})();
