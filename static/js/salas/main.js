// The room list (/chat/listar-salas), live over the list stream
// (?lista=1): online counts, unread badges and last activity per room
// (`atividade`) of the rooms on this page, new rooms (`sala`): on this page
// when their name sorts into it, otherwise linked above the list; mention
// badges and notifications (`mencao`). Also the create-room form's
// "Privada" switch, which shows the members field.

import { IndicadorConexao } from '../comum/conexao.js';
import { el, porId } from '../comum/dom.js';
import { FluxoAoVivo } from '../comum/fluxo.js';
import { buscar } from '../comum/http.js';
import { Cartao } from './cartoes.js';
import { MencoesDaLista } from './mencoes.js';
import { ContagemNaoLidas } from './nao-lidas.js';

const grade = porId('papo-salas');
const anuncios = porId('papo-anuncios');
const usuarioId = Number(grade.dataset.usuarioId);
const pagina = Number(grade.dataset.pagina ?? 1);
const ultimaPagina = grade.dataset.ultimaPagina !== '0';
const outrasSalas = porId('papo-outras-salas');
const cartoes = new Map();
for (const coluna of grade.querySelectorAll('[data-sala-id]')) {
  const cartao = new Cartao(coluna);
  cartoes.set(cartao.id, cartao);
}
const mencoes = new MencoesDaLista(cartoes, document.getElementById('papo-notificar'));
const naoLidas = new ContagemNaoLidas(usuarioId, { aoContar: (cartao, n) => mencoes.recontado(cartao, n) });

function atividade({ sala_id: id, usuarios_online: online, seq, data_envio: quando }) {
  const cartao = cartoes.get(id);
  if (!cartao) return;
  if (online !== undefined) cartao.mostrarOnline(online);
  if (seq && seq > cartao.ultimoSeq) {
    cartao.ultimoSeq = seq;
    if (quando) cartao.mostrarAtividade(quando);
    naoLidas.recontar(cartao);
  }
}

// The cards in page order.
function cartoesNaTela() {
  return [...grade.querySelectorAll('[data-sala-id]')].map((coluna) => cartoes.get(Number(coluna.dataset.salaId)));
}

// Rooms are listed by name, as the server does.
function inserirEmOrdem(cartao) {
  const depois = cartoesNaTela().find((outro) => outro.nome.localeCompare(cartao.nome, 'pt-BR') > 0);
  grade.insertBefore(cartao.coluna, depois?.coluna ?? null);
}

// The list comes in pages of rooms by name (?pagina=N): a new room belongs
// here unless its name sorts before this page (not the first) or after it
// (not the last).
function cabeNestaPagina(nome) {
  const naTela = cartoesNaTela();
  if (naTela.length === 0) return pagina === 1;
  if (pagina > 1 && nome.localeCompare(naTela[0].nome, 'pt-BR') < 0) return false;
  if (!ultimaPagina && nome.localeCompare(naTela[naTela.length - 1].nome, 'pt-BR') > 0) return false;
  return true;
}

// A room of another page: named with a link, so it is not missed.
function avisarOutraPagina({ id, nome }) {
  const lista = outrasSalas.querySelector('ul');
  if (lista.querySelector(`[data-sala-id="${id}"]`)) return;
  lista.append(el('li', { 'data-sala-id': id }, el('a', { href: `/chat/sala/${id}` }, nome)));
  outrasSalas.classList.remove('d-none');
}

function sala(dados) {
  const existente = cartoes.get(dados.id);
  if (existente) {
    existente.mostrarDados(dados);
    return;
  }
  anuncios.textContent = `Nova sala: ${dados.nome}`;
  if (!cabeNestaPagina(dados.nome)) {
    avisarOutraPagina(dados);
    return;
  }
  const cartao = Cartao.criar(dados);
  document.getElementById('papo-sem-salas')?.remove();
  document.getElementById('papo-pagina-vazia')?.remove();
  inserirEmOrdem(cartao);
  cartoes.set(cartao.id, cartao);
  mencoes.novoCartao(cartao);
}

function prepararFormulario() {
  const privada = document.getElementById('sala-privada');
  const membros = document.getElementById('papo-campo-membros');
  if (!privada || !membros) return;
  const ajustar = () => membros.classList.toggle('d-none', !privada.checked && !membros.querySelector('.is-invalid'));
  privada.addEventListener('change', ajustar);
  ajustar();
}

function atualizarHoras() {
  const agora = new Date();
  for (const cartao of cartoes.values()) cartao.atualizarHora(agora);
}

let jaAbriu = false;
const fluxo = new FluxoAoVivo({
  url: () => '/chat/stream?lista=1',
  indicador: new IndicadorConexao(porId('papo-conexao')),
  eventos: { atividade, sala, mencao: (evento) => mencoes.receber(evento) },
  // Any authenticated JSON request tells a lost session (401) apart.
  sondar: async () => {
    const { status } = await buscar('/chat/mensagens', { sala_id: 0 });
    return status === 401 ? 401 : 0;
  },
  // Reconnected: counts may have changed while the stream was down.
  aoAbrir: () => {
    if (jaAbriu) for (const cartao of cartoes.values()) naoLidas.recontar(cartao);
    jaAbriu = true;
  },
});

// Back from a room (page restored from the back/forward cache): the badge
// of that room is stale.
window.addEventListener('pageshow', (evento) => {
  if (evento.persisted) for (const cartao of cartoes.values()) naoLidas.recontar(cartao);
});

prepararFormulario();
atualizarHoras();
setInterval(atualizarHoras, 30000);
fluxo.iniciar();
