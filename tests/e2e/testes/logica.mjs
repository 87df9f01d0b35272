// The pure parts of the page scripts, run in Node (no browser): pt-BR times
// the reconnection backoff, and what `ressincronizar` makes the room page do.

import { afirmar, iguais } from '../lib/esperar.mjs';
import { esperaComJitter } from '../../../static/js/comum/fluxo.js';
import { atividadeRelativa, horaDaMensagem } from '../../../static/js/comum/tempo.js';
import { acaoDeRessincronizar } from '../../../static/js/sala/ressincronizar.js';

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
}
