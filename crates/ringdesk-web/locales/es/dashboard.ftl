# El panel (R-U4).
nav-dashboard = Panel
dash-title = Panel del centro de llamadas
dash-from = Desde
dash-to = Hasta
dash-show = Mostrar
dash-period = Del { $from } al { $to }, en la hora de { $tz }.
dash-bad-period = No se puede mostrar ese período: elija un día de inicio anterior al día final, con 400 días como máximo entre ambos. Se muestran los últimos siete días.
dash-forbidden = El panel muestra las llamadas de todo el equipo: necesita el permiso "ver todas las llamadas".
dash-offered = Recibidas
dash-answered = Atendidas
dash-missed = Perdidas
dash-abandoned = Abandonadas
dash-outbound = Salientes
dash-recovered = Perdidas, devueltas
dash-service-level = Nivel de servicio
dash-within = en { $t } s
dash-asa = Tiempo medio de respuesta
dash-p90 = Percentil 90 del tiempo de respuesta
dash-abandon-time = Tiempo medio hasta el abandono
dash-abandonment = Tasa de abandono
dash-seconds = { $n } s
dash-by-day = Llamadas por día
dash-by-hour = Llamadas por hora del día
dash-operators = Operadores
dash-operator = Operador
dash-talk = Duración media de la conversación
dash-callbacks = Devoluciones
dash-recovery = Tiempo medio hasta devolver la llamada
dash-queues = Colas
dash-queue = Cola
dash-lines = Líneas marcadas
dash-line = Línea
dash-leads = Leads
dash-orders = Órdenes de trabajo
dash-won = Ganados
dash-campaigns = Leads por campaña publicitaria
dash-campaign = Campaña publicitaria
dash-no-campaign = Sin campaña
dash-conversion = Conversión de presupuestos
dash-conversion-text = { $calls } llamadas entrantes atendidas → { $quotes } presupuestos hechos a partir de ellas → { $orders } órdenes de trabajo.
dash-none = Nada en este período.
dash-breaches = Incumplimientos del SLA de devolución

# Missed calls by caller (issue 13 item 3).
cases-title = Llamadas perdidas por cliente
cases-about = Una línea por persona: sus llamadas perdidas desde la primera hasta que alguien la contactó (una devolución que atendió, o una llamada suya atendida). Una devolución sin respuesta la deja abierta.
cases-open-only = Solo abiertas
cases-none = Ninguna llamada perdida.
cases-state = Estado
cases-open = Esperando
cases-reached-state = Contactado
cases-count = Perdidas
cases-times = { $n ->
    [one] { $n } vez
   *[other] { $n } veces
}
cases-opened = Primera perdida
cases-reached = Contactado tras
cases-took-hours = { $h } h { $m } min
cases-took-minutes = { $m } min
cases-took-seconds = { $s } s

# The calls list and a call's page: how long a callback took (R-C7, issue 13).
call-recovered-after = tras { $took }
call-sla-breached = SLA de devolución incumplido
