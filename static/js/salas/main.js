// The room list (/chat/listar-salas), live over the list stream
// (?lista=1): online counts, unread badges and last activity per room
// (`atividade`: the room moves to the top, as the server orders the list
// by activity) of the rooms on this page; new and changed rooms (`sala`):
// a new one on the first page in its section (Conversas diretas or Salas),
// on later pages linked above the list; an archived one leaves the main
// list (and appears under Arquivadas), a renamed one changes its name;
// mention badges and notifications (`mencao`). Also the name filter (the
// cards shown follow what is typed; Enter asks the server), "Nova
// conversa", and the create-room form's "Privada" switch.

import { IndicadorConexao } from '../comum/conexao.js';
import { el, porId } from '../comum/dom.js';
import { FluxoAoVivo } from '../comum/fluxo.js';
import { buscar } from '../comum/http.js';
import { Cartao } from './cartoes.js';
import { MencoesDaLista } from './mencoes.js';
import { ContagemNaoLidas } from './nao-lidas.js';
import { NovaConversa } from './nova-conversa.js';

const lista = porId('papo-lista');
const gradeDiretas = document.getElementById('papo-diretas');
const gradeSalas = document.getElementById('papo-salas');
const anuncios = porId('papo-anuncios');
const usuarioId = Number(lista.dataset.usuarioId);
const pagina = Number(lista.dataset.pagina ?? 1);
// '' (Todas), 'diretas', 'salas' or 'arquivadas'; and the server's filter.
const secao = lista.dataset.secao ?? '';
const filtroDoServidor = lista.dataset.q ?? '';
const outrasSalas = porId('papo-outras-salas');
const cartoes = new Map();
for (const coluna of lista.querySelectorAll('[data-sala-id]')) {
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
    cartao.ordem = Date.parse(quando ?? '') || Date.now();
    inserirEmOrdem(cartao);
    naoLidas.recontar(cartao);
  }
}

// Names compared as the server's filter does: no case, no accents.
function semAcentos(texto) {
  return texto.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('pt-BR');
}

// The grid a room's card goes in on this page (null: this view has none).
function gradeDe({ direta }) {
  if (secao === '') return direta ? gradeDiretas : gradeSalas;
  return gradeDiretas ?? gradeSalas;
}

// Whether a room belongs in this view: its section, and the server's filter.
function pertence({ direta = false, arquivada = false, nome = '' }) {
  if (arquivada !== (secao === 'arquivadas')) return false;
  if (secao === 'diretas' && !direta) return false;
  if (secao === 'salas' && direta) return false;
  return semAcentos(nome).includes(semAcentos(filtroDoServidor));
}

// Rooms are listed by activity, newest first, as the server does.
function inserirEmOrdem(cartao) {
  const grade = gradeDe(cartao);
  if (!grade) return;
  const cartoesDaGrade = [...grade.querySelectorAll('[data-sala-id]')]
    .map((coluna) => cartoes.get(Number(coluna.dataset.salaId)))
    .filter((outro) => outro && outro !== cartao);
  const depois = cartoesDaGrade.find((outro) => outro.ordem < cartao.ordem);
  grade.insertBefore(cartao.coluna, depois?.coluna ?? grade.querySelector(':scope > p') ?? null);
  aplicarFiltro();
}

// The list comes in pages by activity (?pagina=N): a new room is the
// newest, so it belongs on the first page.
function cabeNestaPagina() {
  return pagina === 1;
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
    if (!pertence(dados)) {
      // Archived (or back from the archive): it leaves this view.
      anuncios.textContent = dados.arquivada ? `Sala arquivada: ${dados.nome}` : `Sala desarquivada: ${dados.nome}`;
      existente.coluna.remove();
      cartoes.delete(dados.id);
      aplicarFiltro();
      return;
    }
    existente.mostrarDados(dados);
    return;
  }
  if (!pertence(dados)) return;
  anuncios.textContent = dados.direta ? `Nova conversa com ${dados.nome}` : `Nova sala: ${dados.nome}`;
  if (!cabeNestaPagina()) {
    avisarOutraPagina(dados);
    return;
  }
  const cartao = Cartao.criar(dados);
  document.getElementById('papo-sem-salas')?.remove();
  document.getElementById('papo-pagina-vazia')?.remove();
  if (dados.direta) document.getElementById('papo-sem-diretas')?.remove();
  inserirEmOrdem(cartao);
  cartoes.set(cartao.id, cartao);
  mencoes.novoCartao(cartao);
}

// The user left the room or its owner removed them (DESIGN §9): it leaves
// this list at once (its card, or its link to another page).
function salaRemovida({ sala_id: id }) {
  const cartao = cartoes.get(id);
  if (cartao) {
    anuncios.textContent = `Você não participa mais da sala ${cartao.nome}.`;
    cartao.coluna.remove();
    cartoes.delete(id);
  }
  outrasSalas.querySelector(`[data-sala-id="${id}"]`)?.remove();
}

// The filter box: the cards of this page follow what is typed at once;
// Enter (the form's GET) asks the server for every page.
const campoFiltro = document.getElementById('papo-filtro');
const filtroVazio = document.getElementById('papo-filtro-vazio');
function aplicarFiltro() {
  if (!campoFiltro) return;
  const procurado = semAcentos(campoFiltro.value.trim());
  let visiveis = 0;
  for (const cartao of cartoes.values()) {
    const mostra = semAcentos(cartao.nome).includes(procurado);
    cartao.coluna.classList.toggle('d-none', !mostra);
    if (mostra) visiveis += 1;
  }
  filtroVazio?.classList.toggle('d-none', visiveis > 0 || cartoes.size === 0);
}
campoFiltro?.addEventListener('input', aplicarFiltro);

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
  eventos: { atividade, sala, mencao: (evento) => mencoes.receber(evento), sala_removida: salaRemovida },
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
const formNovaConversa = document.getElementById('papo-nova-conversa');
if (formNovaConversa) new NovaConversa(formNovaConversa);
atualizarHoras();
setInterval(atualizarHoras, 30000);
fluxo.iniciar();
