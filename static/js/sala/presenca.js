// Who is in the room now: the count and the names (SSE `presenca`
// {usuarios_online, usuarios:[{id,nome}]}).

import { listaDeNomes } from '../comum/dom.js';

export class Presenca {
  constructor({ contador, nomes, caixa }) {
    this.contador = contador;
    this.nomes = nomes;
    this.caixa = caixa;
  }

  /** usuarios: [{id, nome}] */
  mostrar(usuarios, total = usuarios.length) {
    const nomes = [...new Set(usuarios.map((usuario) => usuario.nome))].sort((a, b) => a.localeCompare(b, 'pt-BR'));
    this.contador.textContent = String(total);
    this.caixa.classList.toggle('papo-ninguem-online', total === 0);
    this.nomes.textContent = nomes.length ? `: ${listaDeNomes(nomes)}` : '';
    const titulo = nomes.length ? `Online agora: ${listaDeNomes(nomes)}` : 'Ninguém online agora';
    this.caixa.title = titulo;
    this.caixa.setAttribute('aria-label', `${total} online. ${titulo}`);
  }

  /** SSE `presenca`. */
  receber({ usuarios_online: total, usuarios = [] }) {
    this.mostrar(usuarios, total ?? usuarios.length);
  }
}
