# O painel (R-U4).
nav-dashboard = Painel
dash-title = Painel do centro de chamadas
dash-from = De
dash-to = Até
dash-show = Mostrar
dash-period = De { $from } a { $to }, na hora de { $tz }.
dash-bad-period = Não é possível mostrar esse período: escolha um dia de início antes do dia de fim, com no máximo 400 dias de intervalo. Mostram-se os últimos sete dias.
dash-forbidden = O painel mostra as chamadas de toda a equipa: precisa da permissão "ver todas as chamadas".
dash-offered = Recebidas
dash-answered = Atendidas
dash-missed = Perdidas
dash-abandoned = Abandonadas
dash-outbound = Efetuadas
dash-recovered = Perdidas, com retorno
dash-service-level = Nível de serviço
dash-within = em { $t } s
dash-asa = Tempo médio de atendimento
dash-p90 = Percentil 90 do tempo de atendimento
dash-abandon-time = Tempo médio até ao abandono
dash-abandonment = Taxa de abandono
dash-seconds = { $n } s
dash-by-day = Chamadas por dia
dash-by-hour = Chamadas por hora do dia
dash-operators = Operadores
dash-operator = Operador
dash-talk = Duração média da conversa
dash-callbacks = Retornos
dash-recovery = Tempo médio até ao retorno
dash-queues = Filas
dash-queue = Fila
dash-lines = Linhas marcadas
dash-line = Linha
dash-leads = Leads
dash-orders = Ordens de serviço
dash-won = Ganhos
dash-campaigns = Leads por campanha publicitária
dash-campaign = Campanha publicitária
dash-no-campaign = Sem campanha
dash-conversion = Conversão de orçamentos
dash-conversion-text = { $calls } chamadas recebidas atendidas → { $quotes } orçamentos feitos a partir delas → { $orders } ordens de serviço.
dash-none = Nada neste período.
dash-breaches = Incumprimentos do SLA de retorno

# Missed calls by caller (issue 13 item 3).
cases-title = Chamadas perdidas por cliente
cases-about = Uma linha por pessoa: as suas chamadas perdidas desde a primeira até alguém a contactar (um retorno atendido, ou uma chamada sua atendida). Um retorno sem resposta deixa-a em aberto.
cases-open-only = Só em aberto
cases-none = Nenhuma chamada perdida.
cases-state = Estado
cases-open = À espera
cases-reached-state = Contactado
cases-count = Perdidas
cases-times = { $n ->
    [one] { $n } vez
   *[other] { $n } vezes
}
cases-opened = Primeira perdida
cases-reached = Contactado após
cases-took-hours = { $h } h { $m } min
cases-took-minutes = { $m } min
cases-took-seconds = { $s } s

# The calls list and a call's page: how long a callback took (R-C7, issue 13).
call-recovered-after = após { $took }
call-sla-breached = SLA de retorno incumprido
