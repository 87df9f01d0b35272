// fetch wrappers for papo's JSON endpoints (DESIGN §3): the CSRF header on
// every POST, JSON answers parsed, 401 sends the user to the login page.

function csrf() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? '';
}

/** Sends the user to /login, coming back to this page afterwards. */
export function irParaLogin() {
  const volta = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(volta)}`);
}

async function resposta(promessa) {
  let http;
  try {
    http = await promessa;
  } catch {
    return { status: 0, ok: false, json: {} };  // no connection
  }
  const json = http.status === 204 ? {} : await http.json().catch(() => ({}));
  if (http.status === 401) irParaLogin();
  return { status: http.status, ok: http.ok, json, cabecalhos: http.headers };
}

/**
 * POST a form body. Resolves to {status, ok, json}; status 0 = no connection.
 * opcoes.manter: the request outlives the page (fetch keepalive), for small
 * posts a reader's navigation must not cancel.
 */
export function postar(url, campos, { manter = false } = {}) {
  return resposta(fetch(url, {
    method: 'POST',
    body: new URLSearchParams(campos),
    headers: { 'X-CSRF-Token': csrf(), Accept: 'application/json' },
    credentials: 'same-origin',
    keepalive: manter,
  }));
}

/** GET with query parameters. Resolves like postar(). */
export function buscar(url, parametros = {}) {
  const consulta = new URLSearchParams(parametros).toString();
  return resposta(fetch(consulta ? `${url}?${consulta}` : url, {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  }));
}

/** The pt-BR text of a failed answer: field errors, the error, or `padrao`. */
export function textoDoErro(resultado, padrao) {
  if (resultado.status === 0) return 'Sem conexão com o servidor. Verifique sua internet e tente de novo.';
  const { erros, erro } = resultado.json ?? {};
  if (erros && Object.keys(erros).length) return Object.values(erros).join(' ');
  if (erro) return erro;
  return padrao;
}
