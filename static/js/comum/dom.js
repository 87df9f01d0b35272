// Small DOM helpers shared by the pages. User text only ever goes in as
// text nodes (never innerHTML), so a message can never become markup.

/** The element with this id; throws if the page lacks it (a template bug). */
export function porId(id) {
  const elemento = document.getElementById(id);
  if (!elemento) throw new Error(`papo: elemento #${id} não encontrado`);
  return elemento;
}

/**
 * Creates an element: el('span', { class: 'x', title: 't' }, 'texto', outro).
 * Attributes whose value is null/undefined/false are skipped; children that
 * are strings become text nodes.
 */
export function el(tag, atributos = {}, ...filhos) {
  const elemento = document.createElement(tag);
  for (const [nome, valor] of Object.entries(atributos)) {
    if (valor === null || valor === undefined || valor === false) continue;
    elemento.setAttribute(nome, valor === true ? '' : String(valor));
  }
  for (const filho of filhos) {
    if (filho === null || filho === undefined || filho === false) continue;
    elemento.append(typeof filho === 'string' ? document.createTextNode(filho) : filho);
  }
  return elemento;
}

/** The JSON a page embeds in <script type="application/json" id="…">. */
export function dadosDaPagina(id) {
  return JSON.parse(porId(id).textContent);
}

/** Names as a pt-BR list: "Ana", "Ana e Bruno", "Ana, Bruno e Carla". */
export function listaDeNomes(nomes) {
  return new Intl.ListFormat('pt-BR', { style: 'long', type: 'conjunction' }).format(nomes);
}
