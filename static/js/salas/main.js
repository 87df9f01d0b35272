// The room list (/chat/listar-salas), live over the list stream
// (?lista=1): online counts, unread badges and last activity per room
// (`atividade`), new rooms (`sala`). Also the create-room form's
// "Privada" switch, which shows the members field.

import { IndicadorConexao } from '../comum/conexao.js';
import { porId } from '../comum/dom.js';
import { FluxoAoVivo } from '../comum/fluxo.js';
import { buscar } from '../comum/http.js';
import { Cartao } from './cartoes.js';
import { ContagemNaoLidas } from './nao-lidas.js';

const grade = porId('papo-salas');
const anuncios = porId('papo-anuncios');
const usuarioId = Number(grade.dataset.usuarioId);
const cartoes = new Map();
for (const coluna of grade.querySelectorAll('[data-sala-id]')) {
  const cartao = new Cartao(coluna);
  cartoes.set(cartao.id, cartao);
}
const naoLidas = new ContagemNaoLidas(usuarioId);

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

// Rooms are listed by name, as the server does.
function inserirEmOrdem(cartao) {
  const depois = [...cartoes.values()].find((outro) => outro.nome.localeCompare(cartao.nome, 'pt-BR') > 0);
  grade.insertBefore(cartao.coluna, depois?.coluna ?? null);
}

function sala(dados) {
  const existente = cartoes.get(dados.id);
  if (existente) {
    existente.mostrarDados(dados);
    return;
  }
  const cartao = Cartao.criar(dados);
  document.getElementById('papo-sem-salas')?.remove();
  inserirEmOrdem(cartao);
  cartoes.set(cartao.id, cartao);
  anuncios.textContent = `Nova sala: ${dados.nome}`;
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
  eventos: { atividade, sala },
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
