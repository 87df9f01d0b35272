// The room page (/chat/sala/{id}): wires the message list, the message box,
// the live stream and the small live features together.

import { IndicadorConexao } from '../comum/conexao.js';
import { dadosDaPagina, porId } from '../comum/dom.js';
import { FluxoAoVivo } from '../comum/fluxo.js';
import { buscar } from '../comum/http.js';
import { Compositor } from './compositor.js';
import { AvisoDigitando } from './digitando.js';
import { Historico } from './historico.js';
import { Leituras } from './leituras.js';
import { ListaMensagens } from './mensagens.js';
import { Notificacoes } from './notificacoes.js';
import { Presenca } from './presenca.js';
import { acaoDeRessincronizar } from './ressincronizar.js';
import { Rolagem } from './rolagem.js';

const SONDAGEM_MS = 3000;

const dados = dadosDaPagina('papo-dados');
const caixa = porId('papo-mensagens');
const lista = new ListaMensagens(porId('papo-lista-mensagens'), dados.usuario_id);
const anuncios = porId('papo-anuncios');
const leituras = new Leituras(dados, lista.lista);
const digitando = new AvisoDigitando(dados.sala_id, dados.usuario_id, porId('papo-digitando'));
const presenca = new Presenca({ contador: porId('papo-online'), nomes: porId('papo-online-nomes'), caixa: porId('papo-presenca') });
const notificacoes = new Notificacoes(dados.sala_nome, document.getElementById('papo-notificar'));
const historico = new Historico(dados.sala_id, porId('papo-historico'), { temAnteriores: dados.primeiro_seq > 1 });
const rolagem = new Rolagem(caixa, porId('papo-novas'), {
  aoChegarNoFim: () => marcarLido(),
  aoChegarNoTopo: () => carregarAnteriores(),
});

// Every message up to this seq is on the page (from the page itself, the
// stream or a history fetch): the stream resumes after it.
let seqConfirmado = dados.ultimo_seq;

function marcarLido({ agora = false } = {}) {
  if (document.visibilityState === 'visible' && rolagem.estaNoFim()) leituras.vi(lista.ultimoSeq(), { agora });
}

function receber(mensagem) {
  const estavaNoFim = rolagem.estaNoFim();
  if (!lista.adicionar(mensagem)) return;
  const propria = mensagem.usuario_id === dados.usuario_id;
  if (propria) {
    leituras.mostrarVistos();
  } else {
    digitando.esquecer(mensagem.usuario_id);
    anuncios.textContent = `${mensagem.usuario_nome}: ${mensagem.mensagem}`;
    notificacoes.nova(mensagem);
  }
  rolagem.depoisDeNova(estavaNoFim, propria);
  marcarLido();
}

function receberEmOrdem(mensagem) {
  seqConfirmado = Math.max(seqConfirmado, mensagem.seq);
  receber(mensagem);
}

async function carregarAnteriores() {
  const inserir = (mensagens) => rolagem.manterPosicao(() => mensagens.forEach((m) => lista.adicionar(m)));
  const carregadas = await historico.anteriores(lista.primeiroSeq(), inserir);
  // Still nothing to scroll: the top is visible, keep loading.
  if (carregadas && rolagem.semRolagem()) carregarAnteriores();
}

// While the stream is down, poll so the room keeps working.
let sondagem = null;
function pararSondagem() {
  clearInterval(sondagem);
  sondagem = null;
}

function ressincronizar({ apos_seq: apos }) {
  const acao = acaoDeRessincronizar(apos, desdeDoFluxo, seqConfirmado);
  if (acao.recarregar) window.location.reload();
  else historico.lacuna(acao.lacunaApos, receberEmOrdem);
}

// The desde of the open stream's URL (see ressincronizar.js).
let desdeDoFluxo = seqConfirmado;
const fluxo = new FluxoAoVivo({
  url: () => {
    desdeDoFluxo = seqConfirmado;
    return `/chat/stream?sala_id=${dados.sala_id}&desde=${desdeDoFluxo}`;
  },
  indicador: new IndicadorConexao(porId('papo-conexao')),
  mensagem: (evento) => receberEmOrdem(JSON.parse(evento.data)),
  eventos: {
    digitando: (evento) => digitando.receber(evento),
    leitura: (evento) => leituras.receber(evento),
    presenca: (evento) => presenca.receber(evento),
    ressincronizar,
  },
  sondar: async () => (await buscar('/chat/mensagens', { sala_id: dados.sala_id, limit: 1 })).status,
  aoAbrir: pararSondagem,
  aoCair: () => {
    if (sondagem) return;
    sondagem = setInterval(() => historico.lacuna(seqConfirmado, receberEmOrdem), SONDAGEM_MS);
  },
});

new Compositor(dados.sala_id, dados.max_mensagem, {
  form: porId('papo-form'),
  texto: porId('papo-texto'),
  botao: porId('papo-enviar'),
  contador: porId('papo-contador'),
}, {
  aoEnviar: (mensagem) => {
    receber(mensagem);
    rolagem.irParaOFim();
  },
  aoDigitar: () => digitando.digitou(),
  aoParar: () => digitando.parou(),
});

document.addEventListener('visibilitychange', marcarLido);
presenca.mostrar(dados.online ?? []);
lista.atualizarHoras();
setInterval(() => lista.atualizarHoras(), 60000);
if (lista.vazia) porId('papo-historico').textContent = '';
rolagem.irParaOFim();
marcarLido({ agora: true });
window.addEventListener('pagehide', () => leituras.despedir());
if (rolagem.semRolagem()) carregarAnteriores();
fluxo.iniciar();
