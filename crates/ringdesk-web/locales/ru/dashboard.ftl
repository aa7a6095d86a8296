# Панель (R-U4).
nav-dashboard = Панель
dash-title = Панель колл-центра
dash-from = С
dash-to = По
dash-show = Показать
dash-period = С { $from } по { $to }, по времени { $tz }.
dash-bad-period = Этот период нельзя показать: выберите день начала раньше дня окончания, не более 400 дней между ними. Показаны последние семь дней.
dash-forbidden = Панель показывает звонки всей команды: нужно право «видеть все звонки».
dash-offered = Поступило
dash-answered = Принято
dash-missed = Пропущено
dash-abandoned = Брошено
dash-outbound = Исходящие
dash-recovered = Пропущено, перезвонили
dash-service-level = Уровень сервиса
dash-within = за { $t } с
dash-asa = Среднее время ответа
dash-p90 = 90-й процентиль времени ответа
dash-abandon-time = Среднее время до сброса
dash-abandonment = Доля брошенных
dash-seconds = { $n } с
dash-by-day = Звонки по дням
dash-by-hour = Звонки по часам дня
dash-operators = Операторы
dash-operator = Оператор
dash-talk = Средняя длительность разговора
dash-callbacks = Перезвоны
dash-recovery = Среднее время до перезвона
dash-queues = Очереди
dash-queue = Очередь
dash-lines = Набранные линии
dash-line = Линия
dash-leads = Лиды
dash-orders = Заказы
dash-won = Выиграно
dash-campaigns = Лиды по рекламным кампаниям
dash-campaign = Рекламная кампания
dash-no-campaign = Без кампании
dash-conversion = Конверсия смет
dash-conversion-text = { $calls } принятых входящих звонков → { $quotes } смет по ним → { $orders } заказов.
dash-none = В этом периоде ничего нет.
dash-breaches = Нарушения SLA перезвона

# Missed calls by caller (issue 13 item 3).
cases-title = Пропущенные по абонентам
cases-about = Одна строка на абонента: его пропущенные звонки от первого до того, как с ним связались (он ответил на перезвон или его звонок приняли). Неотвеченный перезвон оставляет строку открытой.
cases-open-only = Только открытые
cases-none = Пропущенных звонков нет.
cases-state = Состояние
cases-open = Ждёт
cases-reached-state = Связались
cases-count = Пропущено
cases-times = { $n ->
    [one] { $n } раз
    [few] { $n } раза
   *[other] { $n } раз
}
cases-opened = Первый пропуск
cases-reached = Связались через
cases-took-hours = { $h } ч { $m } мин
cases-took-minutes = { $m } мин
cases-took-seconds = { $s } с

# The calls list and a call's page: how long a callback took (R-C7, issue 13).
call-recovered-after = через { $took }
call-sla-breached = SLA перезвона нарушен
