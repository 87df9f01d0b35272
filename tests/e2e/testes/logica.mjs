// The pure parts of the page scripts, run in Node (no browser): pt-BR times
// the reconnection backoff, what `ressincronizar` makes the room page do,
// and how message changes (DESIGN §9) apply to the page's message objects.

import { afirmar, iguais } from '../lib/esperar.mjs';
import { esperaComJitter } from '../../../static/js/comum/fluxo.js';
import { atividadeRelativa, horaDaMensagem } from '../../../static/js/comum/tempo.js';
import { Alteracoes, aplicarEdicao, aplicarReacao, mesclar } from '../../../static/js/sala/alteracoes.js';
import { rotuloDaReacao } from '../../../static/js/sala/reacoes.js';
import { acaoDeRessincronizar } from '../../../static/js/sala/ressincronizar.js';
import { LidaAte, maiorStatus } from '../../../static/js/sala/status.js';

// The part of ListaMensagens that Alteracoes uses: objects by id.
class ListaFalsa {
  constructor() { this.objetos = new Map(); }
  objeto(id) { return this.objetos.get(id); }
  alterar(id, f) { this.objetos.set(id, f(this.objetos.get(id))); }
}

export function registrar(executor) {
  executor.teste('lógica: horas em pt-BR (hoje só a hora, antes data e hora)', async () => {
    const agora = new Date(2026, 10, 22, 15, 30);
    iguais(horaDaMensagem(new Date(2026, 10, 22, 9, 5).toISOString(), agora), '09:05', 'hoje');
    iguais(horaDaMensagem(new Date(2026, 10, 21, 23, 59).toISOString(), agora), 'ontem 23:59', 'ontem');
    iguais(horaDaMensagem(new Date(2026, 9, 3, 8, 0).toISOString(), agora), '03/10 08:00', 'este ano');
    iguais(horaDaMensagem(new Date(2025, 11, 31, 22, 0).toISOString(), agora), '31/12/2025 22:00', 'outro ano');
    iguais(horaDaMensagem('não é data', agora), '', 'data inválida');
    iguais(atividadeRelativa('', agora), 'sem mensagens', 'sala sem mensagens');
    iguais(atividadeRelativa(new Date(agora - 20 * 1000).toISOString(), agora), 'agora', 'segundos');
    iguais(atividadeRelativa(new Date(agora - 5 * 60 * 1000).toISOString(), agora), 'há 5 min', 'minutos');
    iguais(atividadeRelativa(new Date(2026, 10, 22, 11, 0).toISOString(), agora), '11:00', 'horas atrás, hoje');
  });

  executor.teste('lógica: espera exponencial com jitter, limitada a 30 s', async () => {
    iguais([0, 1, 2, 3].map((n) => esperaComJitter(n, () => 0)), [500, 1000, 2000, 4000], 'metade fixa');
    iguais([0, 1, 2, 3].map((n) => esperaComJitter(n, () => 1)), [1000, 2000, 4000, 8000], 'teto');
    iguais(esperaComJitter(20, () => 1), 30000, 'nunca passa de 30 s');
    const amostras = new Set(Array.from({ length: 20 }, () => esperaComJitter(4)));
    afirmar(amostras.size > 1, 'tentativas diferentes esperam tempos diferentes (jitter)');
    for (const espera of amostras) afirmar(espera >= 8000 && espera <= 16000, `jitter dentro de [8, 16] s: ${espera}`);
  });

  executor.teste('lógica: ressincronizar carrega a lacuna, ou recarrega a página se a sala voltou atrás', async () => {
    iguais(acaoDeRessincronizar(40, 40, 40), { lacunaApos: 40 }, 'cache não cobre a lacuna: carrega depois de 40');
    iguais(acaoDeRessincronizar(45, 40, 45), { lacunaApos: 45 }, 'retomada pelo Last-Event-ID');
    iguais(acaoDeRessincronizar(40, 40, 43), { lacunaApos: 40 }, 'mensagens já vindas da sondagem: carrega a partir do pedido');
    iguais(acaoDeRessincronizar(3, 40, 40), { recarregar: true }, 'banco recriado: a sala tem menos mensagens que a página');
    iguais(acaoDeRessincronizar(0, 40, 40), { recarregar: true }, 'sala vazia depois de recriada');
  });

  executor.teste('lógica: edições, exclusões, reações e status aplicados uma vez, em qualquer ordem', async () => {
    const base = { id: 7, seq: 3, usuario_id: 1, mensagem: 'oi', editada_em: null, excluida: false, reacoes: [], mencoes: [], status: 'enviada' };
    const edicao = { id: 7, seq: 3, mensagem: 'oi!', editada_em: '2026-12-07T10:00:00Z', mencoes: [] };
    iguais(aplicarEdicao(aplicarEdicao(base, edicao), edicao).mensagem, 'oi!', 'edição repetida');
    iguais(aplicarEdicao(aplicarEdicao(base, edicao), { ...edicao, mensagem: 'velha', editada_em: '2026-12-07T09:00:00Z' }).mensagem,
      'oi!', 'uma edição mais antiga não volta o texto');
    const reacao = { mensagem_id: 7, emoji: '👍', total: 2, usuario_id: 5, ativo: 1 };
    iguais(aplicarReacao(aplicarReacao(base, reacao, 5), reacao, 5).reacoes, [{ emoji: '👍', total: 2, minha: true }], 'reação repetida, minha');
    iguais(aplicarReacao(base, reacao, 9).reacoes, [{ emoji: '👍', total: 2, minha: false }], 'a de outra pessoa');
    iguais(aplicarReacao(aplicarReacao(base, reacao, 5), { ...reacao, total: 0, ativo: 0 }, 5).reacoes, [], 'total zero some');
    // A stream object (minha always false) keeps the page's own reactions and the higher status.
    const naPagina = { ...base, reacoes: [{ emoji: '👍', total: 1, minha: true }], status: 'lida' };
    const doFluxo = { ...base, reacoes: [{ emoji: '👍', total: 2, minha: false }], status: 'entregue' };
    iguais(mesclar(naPagina, doFluxo, { doBarramento: true }).reacoes, [{ emoji: '👍', total: 2, minha: true }], 'minha mantida');
    iguais(mesclar(naPagina, doFluxo, { doBarramento: true }).status, 'lida', 'o status nunca desce');
    iguais(mesclar({ ...base, excluida: true, mensagem: '' }, base).excluida, true, 'lápide continua lápide');
    iguais([maiorStatus('entregue', 'enviada'), maiorStatus(undefined, 'lida')], ['entregue', 'lida'], 'maiorStatus');
    const lidaAte = new LidaAte(2);
    iguais([lidaAte.statusDe({ seq: 2 }), lidaAte.statusDe({ seq: 3, status: 'entregue' })], ['lida', 'entregue'], 'lida até a posição dos outros');
    iguais([lidaAte.subir(1), lidaAte.subir(5), lidaAte.seq], [false, true, 5], 'a posição só sobe');
    iguais(rotuloDaReacao({ emoji: '👍', total: 2, minha: true }), '2 reações 👍, inclusive a sua', 'rótulo');
    iguais(rotuloDaReacao({ emoji: '❤️', total: 1, minha: false }), '1 reação ❤️', 'rótulo no singular');

    // Changes that arrive before their message wait for it, then apply once.
    const lista = new ListaFalsa();
    const lidas = [];
    const alteracoes = new Alteracoes(lista, 1, { aoLer: (seq) => lidas.push(seq) });
    alteracoes.editada(edicao);
    alteracoes.reacao(reacao);
    alteracoes.status({ mensagem_id: 7, seq: 3, usuario_id: 1, status: 'lida' });
    alteracoes.status({ mensagem_id: 7, seq: 3, usuario_id: 1, status: 'entregue' });
    lista.objetos.set(7, base);
    alteracoes.chegou(7);
    alteracoes.chegou(7);
    const final = lista.objeto(7);
    iguais([final.mensagem, final.reacoes.length, final.status], ['oi!', 1, 'lida'], 'pendentes aplicadas, status máximo');
    iguais(lidas, [3], 'lida avisa a posição');
    alteracoes.status({ mensagem_id: 8, seq: 4, usuario_id: 2, status: 'lida' });
    iguais(lidas, [3], 'status de mensagens de outra pessoa não contam');
    alteracoes.excluida({ id: 7, seq: 3 });
    alteracoes.editada({ ...edicao, mensagem: 'depois', editada_em: '2026-12-07T11:00:00Z' });
    iguais([lista.objeto(7).excluida, lista.objeto(7).mensagem, lista.objeto(7).reacoes], [true, '', []], 'nada revive uma lápide');
  });
}
